using System.Buffers.Binary;
using System.Text.Json;

namespace LmacTd.Runtime.Tests.Parity;

/// <summary>
/// The windowed golden files (<c>lmactd-golden-windows/1</c>, tests/data/golden-windows): inputs longer than a clip
/// through the PyTorch reference window by window, overlap-added (models/README.md, "Golden files").
/// </summary>
internal sealed class GoldenWindows
{
    private static readonly Lazy<GoldenWindows> Shared = new(() => new GoldenWindows(Path.Combine(TestData.RepoRoot, "tests", "data", "golden-windows")));
    private readonly string _dir;
    private readonly Dictionary<string, JsonElement> _cases = [];

    private GoldenWindows(string dir)
    {
        _dir = dir;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "index.json")));
        Assert.Equal("lmactd-golden-windows/1", doc.RootElement.GetProperty("format").GetString());
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray()) _cases[c.GetProperty("name").GetString()!] = c.Clone();
    }

    public static GoldenWindows Load() => Shared.Value;

    public IReadOnlyCollection<string> CaseNames => _cases.Keys;

    public int SampleRate(string c) => _cases[c].GetProperty("sampleRate").GetInt32();

    public int Samples(string c) => _cases[c].GetProperty("samples").GetInt32();

    /// <summary>The input as a WAV file for cases at another rate than the model's (their tensors are at that rate), else null.</summary>
    public string? Wav(string c) => _cases[c].TryGetProperty("wav", out var w) ? Path.Combine(_dir, w.GetString()!) : null;

    public double Overlap(string c) => _cases[c].GetProperty("overlap").GetDouble();

    /// <summary>One window of the reference: place, divisor, logits, class, and one interpreter's metrics.</summary>
    public IReadOnlyList<(int Start, int Length, float Divisor, float[] Logits, int Class, JsonElement Metrics)> Windows(string c) =>
        [.. _cases[c].GetProperty("windows").EnumerateArray().Select(w => (
            w.GetProperty("start").GetInt32(), w.GetProperty("length").GetInt32(),
            (float)w.GetProperty("normalisationDivisor").GetDouble(),
            w.GetProperty("logits").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray(),
            w.GetProperty("class").GetInt32(), w.GetProperty("metrics")))];

    public float[] Data(string c, string name)
    {
        var t = _cases[c].GetProperty("tensors").GetProperty(name);
        var bytes = File.ReadAllBytes(Path.Combine(_dir, t.GetProperty("file").GetString()!));
        var data = new float[bytes.Length / 4];
        for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        return data;
    }
}
