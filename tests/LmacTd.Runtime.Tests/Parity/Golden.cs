using System.Buffers.Binary;
using System.Text.Json;

namespace LmacTd.Runtime.Tests.Parity;

/// <summary>The golden files (<c>lmactd-golden/1</c>) written by the PyTorch reference: see models/README.md.</summary>
internal sealed class Golden
{
    private static readonly Lazy<Golden> Shared = new(() => new Golden(TestData.GoldenDir));
    private readonly string _dir;
    private readonly Dictionary<string, JsonElement> _cases = [];

    private Golden(string dir)
    {
        _dir = dir;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "index.json")));
        Assert.Equal("lmactd-golden/1", doc.RootElement.GetProperty("format").GetString());
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray()) _cases[c.GetProperty("name").GetString()!] = c.Clone();
    }

    public static Golden Load() => Shared.Value;

    public IReadOnlyCollection<string> CaseNamesList() => _cases.Keys;

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Load()._cases.Keys) data.Add(name);
        return data;
    }

    public int SampleRate(string c) => _cases[c].GetProperty("sampleRate").GetInt32();

    public float Divisor(string c) => (float)_cases[c].GetProperty("normalisationDivisor").GetDouble();

    public (float[] Data, int[] Shape) Tensor(string c, string name)
    {
        var t = _cases[c].GetProperty("tensors").GetProperty(name);
        var shape = t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var bytes = File.ReadAllBytes(Path.Combine(_dir, t.GetProperty("file").GetString()!));
        int count = shape.Aggregate(1, (a, d) => a * d);
        Assert.Equal(count * 4, bytes.Length);
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        return (data, shape);
    }

    public float[] Data(string c, string name) => Tensor(c, name).Data;

    /// <summary>The reference's metric values of case <paramref name="c"/> for one interpreter (keys as metrics.py writes them).</summary>
    public IReadOnlyDictionary<string, double> Metrics(string c, string interpreter) =>
        _cases[c].GetProperty("metrics").GetProperty(interpreter).EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetDouble());
}
