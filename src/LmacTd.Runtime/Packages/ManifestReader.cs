using System.Globalization;
using System.Text.Json;
using LmacTd.Runtime.Interpreters;

namespace LmacTd.Runtime.Packages;

/// <summary>
/// Reads <c>manifest.json</c> and checks it against the contract (models/README.md). Shapes the manifest
/// leaves out are filled in from the fields they follow from; shapes it gives must agree with them.
/// </summary>
internal sealed class ManifestReader
{
    private static readonly string[] RepNames = ["rep6", "rep5", "rep4", "rep3"];
    private const long B = TensorSpec.BatchDimension;

    // "frames" while a shape is read, before ReadTensors puts the size it stands for in its place.
    private const long FramesDimension = -2;
    private readonly string _file;

    private ManifestReader(string file) => _file = file;

    public static PackageManifest Read(string manifestPath)
    {
        var reader = new ManifestReader(manifestPath);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(manifestPath),
                new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new ModelPackageException(manifestPath, $"not valid JSON ({e.Message})", e);
        }

        using (doc)
        {
            return reader.Parse(doc.RootElement);
        }
    }

    private PackageManifest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Fail("the top level must be a JSON object");
        var format = Str(root, "format");
        if (format != PackageManifest.SupportedFormat)
            throw Fail($"format is '{format}', this runtime reads '{PackageManifest.SupportedFormat}'");

        int sampleRate = Int(root, "sampleRate", min: 1);
        int clipSamples = Int(root, "clipSamples", min: 1);
        Expect(Str(Obj(root, "normalisation"), "kind", "normalisation."), "signed-max", "normalisation.kind");
        Expect(Str(root, "padding"), "zeros-end", "padding");

        var fe = Obj(root, "frontEnd");
        var feStft = ReadStft(fe, "frontEnd.");
        Expect(Dbl(fe, "magnitudePower", "frontEnd."), 1.0, "frontEnd.magnitudePower");
        Expect(Str(fe, "melScale", "frontEnd."), "htk", "frontEnd.melScale");
        Expect(Str(fe, "melNorm", "frontEnd."), "none", "frontEnd.melNorm");
        Expect(Str(fe, "compression", "frontEnd."), "log1p", "frontEnd.compression");
        int nMels = Int(fe, "nMels", "frontEnd.", min: 1);
        int frames = Int(fe, "frames", "frontEnd.", min: 1);
        if (frames != feStft.FramesFor(clipSamples))
            throw Fail($"frontEnd.frames is {frames}, but 1 + clipSamples / hopLength = {feStft.FramesFor(clipSamples)}");
        var frontEnd = new FrontEndSettings(sampleRate, feStft, nMels, Dbl(fe, "fMin", "frontEnd."), Dbl(fe, "fMax", "frontEnd."), frames);
        Guard(frontEnd.Validate, "frontEnd");

        var labels = Obj(root, "labels");
        string labelsFile = FileName(Str(labels, "file", "labels."), "labels.file");
        int labelCount = Int(labels, "count", "labels.", min: 1);

        var cls = Obj(root, "classifier");
        var classifier = ReadGraph(cls, "classifier",
            expectedInputs: [("logmel", [B, frames, nMels])],
            expectedOutputs: [("logits", [B, labelCount]), .. RepNames.Select(n => (n, (long[]?)null))],
            frameAxis: ("logmel", 1));

        var reps = RepNames.Select(n => (n, (long[]?)classifier.Output(n).Shape.ToArray())).ToArray();
        if (classifier.Outputs.Where(o => o.Name != "logits").Any(o => o.Shape.Count < 3 || o.Shape[0] != B))
            throw Fail("classifier.outputs: every representation needs a shape [batch, channels, time, ...]");
        if (classifier.Input("logmel").FrameAxes.Count > 0)
        {
            // A classifier that takes any number of frames: its representations' time axis follows them (the
            // manifest gives their sizes at frontEnd.frames, what the interpreters take).
            classifier = classifier with
            {
                Outputs = [.. classifier.Outputs.Select(o => o.Name == "logits" ? o : o with { FrameAxes = [2] })],
            };
        }

        // Each interpreter kind reads and checks its own entry (Interpreters/InterpreterRegistry).
        var interpreters = new Dictionary<string, InterpreterSpec>(StringComparer.Ordinal);
        foreach (var prop in Obj(root, "interpreters").EnumerateObject())
        {
            var plugin = InterpreterRegistry.Find(prop.Name)
                ?? throw Fail($"interpreters.{prop.Name}: unknown interpreter (expected {InterpreterRegistry.KeyList})");
            if (prop.Value.ValueKind != JsonValueKind.Object) throw Fail($"interpreters.{prop.Name} must be an object");
            interpreters[prop.Name] = plugin.Read(new InterpreterEntry(this, prop.Value, $"interpreters.{prop.Name}", clipSamples, reps));
        }

        if (interpreters.Count == 0) throw Fail($"interpreters: the package holds none (expected {InterpreterRegistry.KeyList})");

        var files = new Dictionary<string, PackageFileEntry>(StringComparer.Ordinal);
        foreach (var f in Obj(root, "files").EnumerateObject())
        {
            FileName(f.Name, "files");
            string prefix = $"files.{f.Name}.";
            if (f.Value.ValueKind != JsonValueKind.Object) throw Fail($"files.{f.Name} must be an object");
            if (f.Name.Contains('/') || f.Name.Contains('\\') || f.Name == "manifest.json" || f.Name.StartsWith('.'))
                throw Fail($"files.{f.Name}: not a plain file name of the package");
            var sha = Str(f.Value, "sha256", prefix);
            if (sha.Length != 64 || !sha.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)))
                throw Fail($"{prefix}sha256 must be 64 lowercase hex digits");
            long bytes = f.Value.TryGetProperty("bytes", out var b) && b.TryGetInt64(out var n) && n >= 0
                ? n : throw Fail($"{prefix}bytes must be a non-negative integer");
            files[f.Name] = new PackageFileEntry(sha, bytes);
        }

        string[] needed = [classifier.File, labelsFile, .. interpreters.Values.Select(i => i.Graph?.File).OfType<string>()];
        foreach (var name in needed)
        {
            if (!files.ContainsKey(name)) throw Fail($"files has no entry for '{name}'");
        }

        string? provenance = root.TryGetProperty("provenance", out var prov) && prov.ValueKind == JsonValueKind.Object
            && prov.TryGetProperty("command", out var cmd) && cmd.ValueKind == JsonValueKind.String ? cmd.GetString() : null;

        var (precision, gatePassed) = ReadPrecision(root);
        return new PackageManifest
        {
            Name = Str(root, "name"),
            Description = root.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "",
            SampleRate = sampleRate,
            ClipSamples = clipSamples,
            FrontEnd = frontEnd,
            LabelsFile = labelsFile,
            LabelCount = labelCount,
            Classifier = classifier,
            Interpreters = interpreters,
            Files = files,
            ProvenanceCommand = provenance,
            Precision = precision,
            PrecisionGatePassed = gatePassed,
        };
    }

    private static readonly string[] Precisions = [PackageManifest.Fp32, "int8"];

    // "precision" is optional (absent: fp32); its kind must be one this runtime knows, its gate null or { "passed": bool, ... }.
    private (string Kind, bool? GatePassed) ReadPrecision(JsonElement root)
    {
        if (!root.TryGetProperty("precision", out var p) || p.ValueKind == JsonValueKind.Null) return (PackageManifest.Fp32, null);
        if (p.ValueKind != JsonValueKind.Object) throw Fail("precision must be an object");
        var kind = Str(p, "kind", "precision.");
        if (!Precisions.Contains(kind)) throw Fail($"precision.kind is '{kind}', this runtime knows {string.Join(", ", Precisions)}");
        if (!p.TryGetProperty("gate", out var gate) || gate.ValueKind == JsonValueKind.Null) return (kind, null);
        if (gate.ValueKind != JsonValueKind.Object || !gate.TryGetProperty("passed", out var passed)
            || passed.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw Fail("precision.gate must be null or an object with a boolean 'passed'");
        return (kind, kind == PackageManifest.Fp32 ? null : passed.GetBoolean());
    }

    internal StftSettings ReadStft(JsonElement o, string prefix)
    {
        Expect(Str(o, "window", prefix), "hamming-periodic", prefix + "window");
        if (!o.TryGetProperty("center", out var c) || c.ValueKind != JsonValueKind.True)
            throw Fail($"{prefix}center must be true (the contract's STFT is centred)");
        Expect(Str(o, "padMode", prefix), "constant", prefix + "padMode");
        var s = new StftSettings(Int(o, "nFft", prefix, min: 2), Int(o, "winLength", prefix, min: 1),
            Int(o, "hopLength", prefix, min: 1), Dbl(o, "magnitudeEpsilon", prefix));
        Guard(s.Validate, prefix.TrimEnd('.'));
        return s;
    }

    /// <summary>
    /// Reads a graph entry. <paramref name="frameAxis"/>: the one input axis that may be written <c>"frames"</c> (symbolic
    /// in the graph, fed <c>frontEnd.frames</c> by default); none when null.
    /// </summary>
    internal GraphSpec ReadGraph(JsonElement o, string path, (string Name, long[]? Shape)[] expectedInputs, (string Name, long[]? Shape)[] expectedOutputs,
        (string Name, int Axis)? frameAxis = null)
    {
        string file = FileName(Str(o, "file", path + "."), path + ".file");
        if (file.Contains('/') || file.Contains('\\')) throw Fail($"{path}.file must be a file name inside the package");
        return new GraphSpec(file,
            ReadTensors(o, path + ".inputs", "inputs", expectedInputs, frameAxis),
            ReadTensors(o, path + ".outputs", "outputs", expectedOutputs, null));
    }

    private TensorSpec[] ReadTensors(JsonElement o, string path, string key, (string Name, long[]? Shape)[] expected, (string Name, int Axis)? frameAxis)
    {
        if (!o.TryGetProperty(key, out var arr) || arr.ValueKind != JsonValueKind.Array) throw Fail($"{path} is missing or not an array");
        var declared = new List<TensorSpec>();
        foreach (var t in arr.EnumerateArray())
        {
            if (t.ValueKind != JsonValueKind.Object) throw Fail($"{path}: every entry must be an object");
            var name = Str(t, "name", path + "[].");
            var exp = expected.FirstOrDefault(e => e.Name == name);
            if (exp.Name is null)
                throw Fail($"{path}: unexpected tensor '{name}' (the contract names {string.Join(", ", expected.Select(e => e.Name))})");
            if (declared.Any(x => x.Name == name)) throw Fail($"{path}: '{name}' appears twice");

            string type = "float32";
            if (t.TryGetProperty("type", out var ty))
            {
                type = ty.GetString() ?? "";
                if (type != "float32") throw Fail($"{path}.{name}: type is '{type}', the contract says float32");
            }

            long[]? shape = null;
            int[] frameAxes = [];
            if (t.TryGetProperty("shape", out var sh))
            {
                shape = ReadShape(sh, $"{path}.{name}.shape");
                frameAxes = [.. Enumerable.Range(0, shape.Length).Where(i => shape[i] == FramesDimension)];
                foreach (int i in frameAxes)
                {
                    if (frameAxis is not { } allowed || allowed.Name != name || allowed.Axis != i || exp.Shape is null || exp.Shape.Length <= i)
                    {
                        throw Fail($"{path}.{name}.shape: dimension {i} is \"{TensorSpec.FramesName}\", which only "
                            + (frameAxis is { } a ? $"'{a.Name}' may be, at dimension {a.Axis}" : "the classifier's logmel may be"));
                    }

                    shape[i] = exp.Shape[i];
                }

                if (exp.Shape is not null && !shape.SequenceEqual(exp.Shape))
                    throw Fail($"{path}.{name}: shape {TensorSpec.Format(shape, frameAxes)}, the contract expects {TensorSpec.Format(exp.Shape)}");
            }

            shape ??= exp.Shape ?? throw Fail($"{path}.{name}: shape is required");
            declared.Add(new TensorSpec(name, type, shape) { FrameAxes = frameAxes });
        }

        var missing = expected.Select(e => e.Name).Except(declared.Select(d => d.Name)).ToArray();
        if (missing.Length > 0) throw Fail($"{path}: missing {string.Join(", ", missing)}");
        return [.. declared];
    }

    private long[] ReadShape(JsonElement sh, string path)
    {
        if (sh.ValueKind != JsonValueKind.Array) throw Fail($"{path} must be an array");
        var dims = new List<long>();
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind == JsonValueKind.String && d.GetString() == "batch" && dims.Count == 0) dims.Add(B);
            else if (d.ValueKind == JsonValueKind.String && d.GetString() == TensorSpec.FramesName && dims.Count > 0) dims.Add(FramesDimension);
            else if (d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var n) && n > 0) dims.Add(n);
            else throw Fail($"{path}: dimension {dims.Count} must be a positive integer (or \"batch\" first, or \"{TensorSpec.FramesName}\")");
        }

        if (dims.Count == 0 || dims[0] != B) throw Fail($"{path}: the first dimension must be \"batch\"");
        return [.. dims];
    }

    internal JsonElement Obj(JsonElement o, string name, string prefix = "") =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : throw Fail($"{prefix}{name} is missing or not an object");

    internal string Str(JsonElement o, string name, string prefix = "") =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Fail($"{prefix}{name} is missing or not a string");

    internal int Int(JsonElement o, string name, string prefix = "", int min = int.MinValue) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)
            ? (i >= min ? i : throw Fail($"{prefix}{name} is {i}, must be at least {min}"))
            : throw Fail($"{prefix}{name} is missing or not an integer");

    internal int Int(JsonElement o, string name, int min) => Int(o, name, "", min);

    internal double Dbl(JsonElement o, string name, string prefix = "") =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && double.IsFinite(v.GetDouble())
            ? v.GetDouble() : throw Fail($"{prefix}{name} is missing or not a number");

    private void Expect(string actual, string expected, string path)
    {
        if (actual != expected) throw Fail($"{path} is '{actual}', this runtime supports only '{expected}'");
    }

    private void Expect(double actual, double expected, string path)
    {
        if (actual != expected)
            throw Fail($"{path} is {actual.ToString(CultureInfo.InvariantCulture)}, this runtime supports only {expected.ToString(CultureInfo.InvariantCulture)}");
    }

    internal void Guard(Action validate, string path)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw Fail($"{path}: {e.Message}");
        }
    }

    // A NUL or control character would otherwise surface as a raw ArgumentException from the file system.
    private string FileName(string name, string path)
    {
        if (name.Length > 0 && !name.Any(char.IsControl)) return name;
        string shown = string.Concat(name.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
        throw Fail($"{path}: the file name \"{shown}\" is empty or holds a control character");
    }

    internal ModelPackageException Fail(string problem) => new(_file, problem);
}
