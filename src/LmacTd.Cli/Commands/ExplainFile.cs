using System.Diagnostics;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.IO;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Commands;

/// <summary>
/// Explains one input and publishes its three outputs as a group: all are written to hidden temporary files first,
/// then renamed one after the other with nothing in between that can stop (an interruption only sets a token,
/// checked before the group starts). A failure or an interruption before publishing deletes the temporaries, so an
/// input's outputs are all present or all absent.
/// </summary>
internal static class ExplainFile
{
    /// <summary>Inputs longer than this (seconds) are explained a block at a time where the format allows.</summary>
    public const double LongFileSeconds = 60;

    /// <summary>Explains <paramref name="names"/>' input, writes its outputs and returns the line to print.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled before the outputs were published.</exception>
    /// <param name="explainer">The explainer.</param>
    /// <param name="package">Its package.</param>
    /// <param name="names">The input and its outputs.</param>
    /// <param name="settings">The command's settings.</param>
    /// <param name="cancellation">Ctrl-C.</param>
    /// <param name="warn">Takes each warning line.</param>
    /// <param name="streamAboveSeconds">
    /// WAV/RF64 inputs longer than this go through <see cref="ExplainLongFile"/> (read, explained and written a block at a
    /// time) unless pictures or a page are asked for; shorter ones, and other formats, are decoded whole.
    /// </param>
    public static string Run(Explainer explainer, ModelPackage package, OutputNames names, ExplainSettings settings, CancellationToken cancellation,
        Action<string>? warn = null, double streamAboveSeconds = LongFileSeconds)
    {
        var total = Stopwatch.StartNew();
        AudioClip clip;
        using (var reader = AudioStreamReader.Open(names.Input))
        {
            if (reader.IsIncremental && !settings.Plot && !settings.Html && reader.Frames > streamAboveSeconds * reader.SampleRate)
                return ExplainLongFile.Run(explainer, package, names, settings, reader, cancellation, warn);
            clip = reader.Whole ?? AudioDecoder.Load(names.Input);
        }

        var decode = total.Elapsed;
        var e = Explain(explainer, clip, cancellation);

        var write = Stopwatch.StartNew();
        var timings = new Dictionary<string, double> { ["decode"] = decode.TotalMilliseconds };
        foreach (var (k, v) in e.Timings.ToMilliseconds()) timings[k == "total" ? "explain" : k] = v;
        // 16-bit output would clip peaks above full scale: both files are scaled by one gain instead, and it is said.
        var (expl, outs, gain) = Pcm16Safe(e, settings.Format);
        var warnings = e.Warnings.ToList();
        if (gain is { } g)
            warnings.Add(new ExplanationWarning(WarningKind.Clipping, $"16-bit output would clip (peak {1 / g:0.000}): both files scaled by {g:0.0000} ({20 * Math.Log10(g):0.0} dB)"));
        var explanation = WavWriter.Encode(expl, e.SampleRate, settings.Format);
        var maskedOut = WavWriter.Encode(outs, e.SampleRate, settings.Format);
        var visuals = Reports.ExplainVisuals.Encode(e, package, clip.Samples, Path.GetFileName(names.Stem), settings.Plot, settings.Html);
        timings["write"] = write.Elapsed.TotalMilliseconds;
        timings["total"] = total.Elapsed.TotalMilliseconds;
        var report = ExplainReport.Encode(e, package, names.Input, names.Explanation, names.MaskedOut, clip.SourceChannels, timings, warnings, gain);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(names.Stem)) ?? ".");
        foreach (var warning in warnings) warn?.Invoke($"warning: {names.Input}: {warning.Message}");
        Publish([.. names.All, .. visuals.Select(v => names.Stem + v.Suffix)], [explanation, maskedOut, report, .. visuals.Select(v => v.Bytes)], cancellation);
        return $"{names.Input}: {e.Label} ({e.Probability:P1}), {e.DurationSeconds:0.00} s at {e.SampleRate} Hz, " +
               $"{e.Windows.Count} window(s), {total.Elapsed.TotalMilliseconds:0} ms -> {names.Stem}.{{{string.Join(",", ["explanation.wav", "masked-out.wav", "json", .. visuals.Select(v => v.Suffix[1..])])}}}";
    }

    // Float output keeps its peaks; 16-bit output above full scale gets one gain for both files (they still add up).
    private static (float[] Explanation, float[] MaskedOut, double? Gain) Pcm16Safe(Explanation e, WavSampleFormat format)
    {
        if (format != WavSampleFormat.Pcm16) return (e.ExplanationWaveform, e.MaskedOutWaveform, null);
        float peak = 0;
        foreach (var v in e.ExplanationWaveform) peak = Math.Max(peak, Math.Abs(v));
        foreach (var v in e.MaskedOutWaveform) peak = Math.Max(peak, Math.Abs(v));
        if (peak <= 1f) return (e.ExplanationWaveform, e.MaskedOutWaveform, null);
        float gain = 32767f / 32768f / peak;
        return ([.. e.ExplanationWaveform.Select(v => v * gain)], [.. e.MaskedOutWaveform.Select(v => v * gain)], gain);
    }

    // The one place the explainer is called: an interruption stops within the current graph run.
    private static Explanation Explain(Explainer explainer, AudioClip clip, CancellationToken cancellation)
    {
        return explainer.Explain(clip, cancellation);
    }

    /// <summary>Writes every file of the group to a temporary, then renames them all; on failure none is left.</summary>
    internal static void Publish(IReadOnlyList<string> paths, IReadOnlyList<byte[]> contents, CancellationToken cancellation)
    {
        var temps = new List<string>();
        try
        {
            for (int i = 0; i < paths.Count; i++)
            {
                var temp = TemporaryFor(paths[i]);
                temps.Add(temp);
                using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                stream.Write(contents[i]);
                stream.Flush(flushToDisk: true);
            }

        }
        catch
        {
            foreach (var t in temps) AtomicFile.TryDelete(t);
            throw;
        }

        PublishTemporaries(paths, temps, cancellation);
    }

    /// <summary>Renames the written temporaries <paramref name="temps"/> to <paramref name="paths"/>; on failure none is left.</summary>
    internal static void PublishTemporaries(IReadOnlyList<string> paths, IReadOnlyList<string> temps, CancellationToken cancellation)
    {
        var published = new List<string>();
        try
        {
            // Last chance to stop: past this point the group is published whole.
            cancellation.ThrowIfCancellationRequested();
            for (int i = 0; i < paths.Count; i++)
            {
                File.Move(temps[i], paths[i], overwrite: true);
                published.Add(paths[i]);
            }
        }
        catch
        {
            foreach (var t in temps) AtomicFile.TryDelete(t);
            foreach (var p in published) AtomicFile.TryDelete(p);
            throw;
        }
    }

    /// <summary>A hidden temporary beside <paramref name="path"/> (same folder, so the rename never copies).</summary>
    internal static string TemporaryFor(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }
}
