using System.Diagnostics;
using System.Text.Json;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Cli;

/// <summary>
/// Ctrl-C on a real <c>lmactd explain</c> process: whenever it lands, every input's outputs are all there and whole,
/// or all absent, no temporary is left, and the exit code is 130 (0 when the run had already finished).
/// </summary>
public class InterruptionTests
{
    private const int Files = 30;
    private const int Runs = 20;

    [Fact]
    public void An_interrupted_explain_run_leaves_each_inputs_outputs_complete_or_absent()
    {
        if (OperatingSystem.IsWindows()) return; // No SIGINT to send to another process there.
        using var dir = new TempDir();
        var inputs = Path.Combine(dir.Path, "in");
        Directory.CreateDirectory(inputs);
        for (int i = 0; i < Files; i++)
        {
            var samples = TestData.Sine(4000 + 37 * i, 16000, 200 + 20 * i).Zip(TestData.Noise(4000 + 37 * i, i, 0.05), (a, b) => a + b).ToArray();
            WavWriter.Write(Path.Combine(inputs, $"c{i:00}.wav"), samples, 16000);
        }

        // One whole run gives the time over which the interruptions are spread, and checks the run itself.
        var whole = Path.Combine(dir.Path, "whole");
        var (code, elapsed, _) = RunAndInterrupt(inputs, whole, afterFiles: null, TimeSpan.Zero);
        Assert.Equal(0, code);
        Assert.Equal(Files, CheckOutputs(inputs, whole));

        // Each interruption comes after a random number of finished files plus a random part of one file's time, so it
        // lands inside the run however fast this machine is at the moment (a delay drawn from the whole run's time
        // missed every run on a machine whose load fell after the first run).
        var random = new Random(17);
        var perFile = elapsed / Files;
        var completeCounts = new List<int>();
        for (int run = 0; run < Runs; run++)
        {
            var outDir = Path.Combine(dir.Path, $"run{run:00}");
            int afterFiles = random.Next(0, Files - 1);
            var extra = TimeSpan.FromMilliseconds(random.NextDouble() * perFile.TotalMilliseconds);
            var latest = TimeSpan.FromMilliseconds(random.NextDouble() * elapsed.TotalMilliseconds);
            var (runCode, _, error) = RunAndInterrupt(inputs, outDir, afterFiles, extra, latest);
            int complete = CheckOutputs(inputs, outDir);   // asserts each input's outputs are whole or absent
            completeCounts.Add(complete);
            if (runCode == 0)
            {
                Assert.Equal(Files, complete);
            }
            else
            {
                Assert.True(runCode == 130, $"run {run}: exit code {runCode}: {error}");
                Assert.Contains("interrupted", error, StringComparison.Ordinal);
            }
        }

        // The interruptions did land inside runs, not only before or after them.
        Assert.True(completeCounts.Any(c => c > 0 && c < Files), $"no interruption landed inside a run: complete counts {string.Join(", ", completeCounts)}");
    }

    // Starts the built CLI, waits until it has started (its first line) and then reported `afterFiles` finished files
    // (a line each), then sends SIGINT after `extra`; with `afterFiles` null it lets the run finish.
    // `latest` bounds the wait for those lines (a random part of the whole run's time): whichever comes first.
    private static (int Code, TimeSpan Processing, string Error) RunAndInterrupt(string inputs, string outDir, int? afterFiles, TimeSpan extra,
        TimeSpan? latest = null)
    {
        // A shell without job control starts background commands with SIGINT ignored, the children inherit that, and
        // .NET keeps an ignored SIGINT ignored (as a nohup'd program should): then no Ctrl-C could land. coreutils'
        // env puts the default back for the CLI alone (seen: `dotnet test ... &` from a script, 20 of 20 runs whole).
        bool reset = SigintIgnored();
        var start = new ProcessStartInfo(reset ? "env" : CliProcess.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (reset)
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add(CliProcess.Dotnet);
        }

        foreach (var a in new[] { CliProcess.Dll, "explain", inputs, "--out", outDir, "--model", TestData.TinyPackage, "--device", "cpu", "--threads", "1" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var started = new TaskCompletionSource();
        var reached = new TaskCompletionSource();
        int lines = 0;
        var error = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            started.TrySetResult();
            if (e.Data is not null && Interlocked.Increment(ref lines) > (afterFiles ?? int.MaxValue - 1)) reached.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Assert.True(started.Task.Wait(TimeSpan.FromMinutes(5)), "the CLI printed nothing");
        var clock = Stopwatch.StartNew();
        if (afterFiles is not null)
        {
            Task.WaitAny(reached.Task, process.WaitForExitAsync(), Task.Delay(latest ?? Timeout.InfiniteTimeSpan));
            Thread.Sleep(extra);
            if (!process.HasExited) SendSigint(process.Id);
        }

        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), $"the CLI did not stop (after {lines} lines)");
        process.WaitForExit();
        lock (error) return (process.ExitCode, clock.Elapsed, error.ToString());
    }

    // Whether this process ignores SIGINT (signal 2: bit 1 of the SigIgn mask in /proc/self/status, Linux).
    private static bool SigintIgnored()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return false;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0b10) != 0;
    }

    // .NET sends only SIGKILL to another process; kill(1) sends the Ctrl-C signal.
    private static void SendSigint(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
    }

    // Every input has its three outputs, whole, or none; no temporary is left. Returns the number of complete inputs.
    private static int CheckOutputs(string inputs, string outDir)
    {
        if (!Directory.Exists(outDir)) return 0;
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp"));
        Assert.Empty(Directory.GetFiles(outDir, ".*"));
        int complete = 0;
        foreach (var input in Directory.GetFiles(inputs, "*.wav"))
        {
            var stem = Path.Combine(outDir, Path.GetFileNameWithoutExtension(input));
            var present = new[] { ".explanation.wav", ".masked-out.wav", ".json" }.Select(s => File.Exists(stem + s)).ToList();
            if (present.All(p => !p)) continue;
            Assert.True(present.All(p => p), $"{stem}: only some outputs");
            int frames = AudioDecoder.Load(input).Samples.Length;
            Assert.Equal(frames, AudioDecoder.Load(stem + ".explanation.wav").Samples.Length);
            Assert.Equal(frames, AudioDecoder.Load(stem + ".masked-out.wav").Samples.Length);
            using var json = JsonDocument.Parse(File.ReadAllBytes(stem + ".json"));
            Assert.Equal(input, json.RootElement.GetProperty("input").GetString());
            complete++;
        }

        Assert.Equal(complete * 3, Directory.GetFiles(outDir).Length);
        return complete;
    }
}
