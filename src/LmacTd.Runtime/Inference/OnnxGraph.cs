using System.Globalization;
using LmacTd.Runtime.Packages;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LmacTd.Runtime.Inference;

/// <summary>
/// One opened ONNX graph whose inputs and outputs have been checked against its manifest entry. Runs bind
/// <c>OrtValue</c>s straight over the caller's buffers, outputs included, so nothing is copied. Runs may
/// overlap (ONNX Runtime sessions are safe to run concurrently).
/// </summary>
internal sealed class OnnxGraph : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxGraph(InferenceSession session, GraphSpec spec, string path)
    {
        _session = session;
        Spec = spec;
        Path = path;
        try
        {
            Check("input", spec.Inputs, session.InputMetadata);
            Check("output", spec.Outputs, session.OutputMetadata);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public GraphSpec Spec { get; }

    public string Path { get; }

    /// <summary>
    /// Runs the graph over the callers' buffers. <paramref name="cancellationToken"/> stops a run already under way
    /// (ONNX Runtime's run termination), which then throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public void Run(string[] inputNames, TensorBuffer[] inputs, string[] outputNames, TensorBuffer[] outputs,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var inValues = new OrtValue[inputs.Length];
        var outValues = new OrtValue[outputs.Length];
        try
        {
            for (int i = 0; i < inputs.Length; i++) inValues[i] = Wrap(inputs[i]);
            for (int i = 0; i < outputs.Length; i++) outValues[i] = Wrap(outputs[i]);
            using var runOptions = new RunOptions();
            // Declared after the options, so disposed before them: a late cancellation never touches freed options.
            using var stop = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static o => ((RunOptions)o!).Terminate = true, runOptions)
                : default;
            _session.Run(runOptions, inputNames, inValues, outputNames, outValues);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"{Path}: the run was cancelled", cancellationToken);
        }
        catch (OnnxRuntimeException e)
        {
            // Callers see our exception types only; ONNX Runtime's stay inside Inference/.
            throw new InferenceException($"{Path}: running the graph failed: {e.Message.Split('\n', 2)[0].Trim()}", e);
        }
        finally
        {
            foreach (var v in inValues) v?.Dispose();
            foreach (var v in outValues) v?.Dispose();
        }

        // A run that finished just as the token fired still counts as cancelled: the caller asked to stop.
        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Dispose() => _session.Dispose();

    private static OrtValue Wrap(TensorBuffer t) => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, t.Data, t.Shape);

    private void Check(string kind, IReadOnlyList<TensorSpec> declared, IReadOnlyDictionary<string, NodeMetadata> actual)
    {
        var missing = declared.Select(d => d.Name).Where(n => !actual.ContainsKey(n)).ToArray();
        var extra = actual.Keys.Where(n => declared.All(d => d.Name != n)).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
        {
            var parts = new List<string>();
            if (missing.Length > 0) parts.Add($"manifest names {kind}(s) {string.Join(", ", missing)} that the graph lacks");
            if (extra.Length > 0) parts.Add($"graph has {kind}(s) {string.Join(", ", extra)} that the manifest does not name");
            throw new ModelPackageException(Path, string.Join("; ", parts));
        }

        foreach (var spec in declared)
        {
            var meta = actual[spec.Name];
            if (!meta.IsTensor || meta.ElementDataType != TensorElementType.Float)
                throw new ModelPackageException(Path, $"{kind} '{spec.Name}' is {meta.ElementDataType}, the manifest says float32");
            var dims = meta.Dimensions;
            bool same = dims.Length == spec.Shape.Count;
            for (int i = 0; same && i < dims.Length; i++)
            {
                // ONNX Runtime reports a symbolic dimension as -1. The batch is symbolic, and so are the classifier's
                // frame axes where the manifest says "frames"; every other dimension is the manifest's number.
                bool symbolic = spec.Shape[i] == TensorSpec.BatchDimension || spec.FrameAxes.Contains(i);
                same = symbolic ? dims[i] < 0 : dims[i] == spec.Shape[i];
            }

            if (!same)
            {
                var names = meta.SymbolicDimensions;
                var shown = "[" + string.Join(", ", dims.Select((d, i) => d >= 0 ? d.ToString(CultureInfo.InvariantCulture)
                    : i < names.Length && names[i].Length > 0 ? names[i] : "?")) + "]";
                throw new ModelPackageException(Path,
                    $"{kind} '{spec.Name}' has shape {shown} in the graph, the manifest says {spec.Formatted}");
            }
        }
    }
}
