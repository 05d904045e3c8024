using System.Diagnostics;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Explaining.Pipeline;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Commands;

/// <summary>
/// The long-file path of <c>lmactd explain</c>: the input is read a block at a time (<see cref="AudioStreamReader"/>),
/// fed to an <see cref="ExplanationStream"/>, and the explanation and masked-out samples go to their temporary WAV
/// files as they come out, so memory stays that of a few windows however long the file. The report is built at the
/// end from the windows (<see cref="StreamedExplanation"/>), and the three files are published as a group, as
/// <see cref="ExplainFile"/> does: an interruption or a failure before the renames deletes every temporary.
/// </summary>
/// <remarks>
/// 16-bit output needs the peak of both signals before the first sample is written (one gain for both when they
/// would clip), so it is written as float first and converted in a second pass over the temporaries.
/// Pictures and the HTML page need the whole waveforms: with <c>--plot</c> or <c>--html</c> the whole-file path runs.
/// </remarks>
internal static class ExplainLongFile
{
    // Four seconds of input per write: large enough that the graphs see full batches, small beside any long file.
    private const int ChunkSeconds = 4;

    /// <summary>Explains the input <paramref name="reader"/> reads and publishes its outputs; returns the line to print.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled before the outputs were published.</exception>
    public static string Run(Explainer explainer, ModelPackage package, OutputNames names, ExplainSettings settings, AudioStreamReader reader,
        CancellationToken cancellation, Action<string>? warn = null)
    {
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(names.Stem)) ?? ".");
        var temps = new List<string>();
        try
        {
            var summary = new StreamedExplanation(explainer, reader.SampleRate);
            var (explTemp, outsTemp, peak, clocks) = Stream(explainer, names, reader, summary, temps, cancellation);

            var write = Stopwatch.StartNew();
            // 16-bit output would clip peaks above full scale: both files are scaled by one gain instead, and it is said.
            float? scale = settings.Format == WavSampleFormat.Pcm16 && peak > 1f ? 32767f / 32768f / peak : null;
            double? gain = scale;
            if (settings.Format == WavSampleFormat.Pcm16)
            {
                explTemp = ToPcm16(explTemp, names.Explanation, scale, temps, reader.SampleRate);
                outsTemp = ToPcm16(outsTemp, names.MaskedOut, scale, temps, reader.SampleRate);
            }

            var e = summary.Finish(reader.DeclaredFrames, new StageTimings { Total = clocks.Explain });
            var warnings = e.Warnings.ToList();
            if (gain is { } g)
                warnings.Add(new ExplanationWarning(WarningKind.Clipping, $"16-bit output would clip (peak {1 / g:0.000}): both files scaled by {g:0.0000} ({20 * Math.Log10(g):0.0} dB)"));
            var timings = new Dictionary<string, double>
            {
                ["decode"] = clocks.Decode.TotalMilliseconds,
                ["explain"] = clocks.Explain.TotalMilliseconds,
                ["write"] = (clocks.Write + write.Elapsed).TotalMilliseconds,
                ["total"] = total.Elapsed.TotalMilliseconds,
            };
            var report = ExplainReport.Encode(e, package, names.Input, names.Explanation, names.MaskedOut, reader.Channels, timings, warnings, gain,
                summary.DurationSeconds, summary.Relevance);
            var reportTemp = NewTemporary(names.Json, temps);
            using (var s = new FileStream(reportTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                s.Write(report);
                s.Flush(flushToDisk: true);
            }

            foreach (var warning in warnings) warn?.Invoke($"warning: {names.Input}: {warning.Message}");
            ExplainFile.PublishTemporaries(names.All, [explTemp, outsTemp, reportTemp], cancellation);
            temps.Clear();
            return $"{names.Input}: {e.Label} ({e.Probability:P1}), {summary.DurationSeconds:0.00} s at {e.SampleRate} Hz, " +
                   $"{e.Windows.Count} window(s), {total.Elapsed.TotalMilliseconds:0} ms -> {names.Stem}.{{explanation.wav,masked-out.wav,json}}";
        }
        finally
        {
            foreach (var t in temps) Runtime.IO.AtomicFile.TryDelete(t);
        }
    }

    private readonly record struct Clocks(TimeSpan Decode, TimeSpan Explain, TimeSpan Write);

    // Reads, explains and writes float temporaries block by block; returns them, the peak of both signals and the times.
    private static (string Explanation, string MaskedOut, float Peak, Clocks Clocks) Stream(Explainer explainer, OutputNames names,
        AudioStreamReader reader, StreamedExplanation summary, List<string> temps, CancellationToken cancellation)
    {
        var explTemp = NewTemporary(names.Explanation, temps);
        var outsTemp = NewTemporary(names.MaskedOut, temps);
        var decode = new Stopwatch();
        var explain = new Stopwatch();
        var write = new Stopwatch();
        float peak = 0;
        using var explFile = Create(explTemp);
        using var outsFile = Create(outsTemp);
        using var expl = new WavStreamWriter(explFile, reader.SampleRate, WavSampleFormat.Float32, ownsStream: false);
        using var outs = new WavStreamWriter(outsFile, reader.SampleRate, WavSampleFormat.Float32, ownsStream: false);
        var stream = explainer.OpenStream(reader.SampleRate, names.Input);

        void Take(ExplanationChunk chunk)
        {
            write.Start();
            expl.Write(chunk.Explanation);
            outs.Write(chunk.MaskedOut);
            foreach (var v in chunk.Explanation) peak = Math.Max(peak, Math.Abs(v));
            foreach (var v in chunk.MaskedOut) peak = Math.Max(peak, Math.Abs(v));
            summary.AddOutput(chunk);
            write.Stop();
        }

        var buffer = new float[ChunkSeconds * reader.SampleRate];
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            decode.Start();
            int n = reader.Read(buffer);
            decode.Stop();
            if (n == 0) break;
            summary.AddInput(buffer.AsSpan(0, n));
            explain.Start();
            var chunk = stream.Write(buffer.AsSpan(0, n), cancellation);
            explain.Stop();
            Take(chunk);
        }

        explain.Start();
        var last = stream.Complete(cancellation);
        explain.Stop();
        Take(last);
        write.Start();
        expl.Complete();
        outs.Complete();
        explFile.Flush(flushToDisk: true);
        outsFile.Flush(flushToDisk: true);
        write.Stop();
        return (explTemp, outsTemp, peak, new Clocks(decode.Elapsed, explain.Elapsed, write.Elapsed));
    }

    // The second pass of 16-bit output: the float temporary, scaled by the gain if any, into a 16-bit one.
    private static string ToPcm16(string floatTemp, string path, float? gain, List<string> temps, int sampleRate)
    {
        var temp = NewTemporary(path, temps);
        using (var source = AudioStreamReader.Open(floatTemp))
        using (var file = Create(temp))
        {
            using var writer = new WavStreamWriter(file, sampleRate, WavSampleFormat.Pcm16, ownsStream: false);
            var buffer = new float[ChunkSeconds * sampleRate];
            int n;
            while ((n = source.Read(buffer)) > 0)
            {
                if (gain is { } g)
                {
                    for (int i = 0; i < n; i++) buffer[i] *= g;
                }

                writer.Write(buffer.AsSpan(0, n));
            }

            writer.Complete();
            file.Flush(flushToDisk: true);
        }

        Runtime.IO.AtomicFile.TryDelete(floatTemp);
        temps.Remove(floatTemp);
        return temp;
    }

    private static string NewTemporary(string path, List<string> temps)
    {
        var temp = ExplainFile.TemporaryFor(path);
        temps.Add(temp);
        return temp;
    }

    private static FileStream Create(string path) => new(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
}
