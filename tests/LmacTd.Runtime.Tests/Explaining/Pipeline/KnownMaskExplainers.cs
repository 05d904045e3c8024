using System.Text.Json.Nodes;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Interpreters;
using LmacTd.Runtime.Packages;
using LmacTd.Runtime.Tests.Interpreters;

namespace LmacTd.Runtime.Tests.Explaining.Pipeline;

/// <summary>
/// Explainers over a copy of the tiny package holding the three known-mask test doubles (all ones, all zeros, a gate
/// on [<see cref="GateStart"/>, <see cref="GateEnd"/>) s of each window), at two batch sizes; opened on first use.
/// </summary>
public sealed class KnownMaskExplainers : IDisposable
{
    public const double GateStart = 0.5;

    public const double GateEnd = 1.5;

    private readonly TempDir _dir;
    private readonly Dictionary<(string, int), Explainer> _open = [];

    public KnownMaskExplainers()
    {
        InterpreterRegistry.Register(ConstantMaskInterpreter.Ones);
        InterpreterRegistry.Register(ConstantMaskInterpreter.Zeros);
        _dir = InterpreterPluginTests.GatePackage(GateStart, GateEnd);
        var path = Path.Combine(_dir.Path, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        manifest["interpreters"]![ConstantMaskInterpreter.OnesName] = new JsonObject();
        manifest["interpreters"]![ConstantMaskInterpreter.ZerosName] = new JsonObject();
        File.WriteAllText(path, manifest.ToJsonString());
        Package = ModelPackage.Load(_dir.Path);
    }

    public ModelPackage Package { get; }

    public Explainer Of(string kind, int maxBatchSize)
    {
        lock (_open)
        {
            if (!_open.TryGetValue((kind, maxBatchSize), out var explainer))
            {
                var options = TestData.Options(InterpreterKind.Parse(kind));
                explainer = new Explainer(Package, new ExplainerOptions
                {
                    Interpreter = options.Interpreter,
                    Inference = options.Inference,
                    MaxBatchSize = maxBatchSize,
                });
                _open[(kind, maxBatchSize)] = explainer;
            }

            return explainer;
        }
    }

    public void Dispose()
    {
        foreach (var e in _open.Values) e.Dispose();
        _dir.Dispose();
    }
}
