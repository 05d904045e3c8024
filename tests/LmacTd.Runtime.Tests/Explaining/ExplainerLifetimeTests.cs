using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Explaining;

/// <summary>What an app does around the explainer: shut it down under load, cancel, await.</summary>
public class ExplainerLifetimeTests
{
    [Fact]
    public void Dispose_while_eight_threads_explain_never_crashes_and_later_calls_are_refused()
    {
        var package = ModelPackage.Load(TestData.TinyPackage);
        var clip = new AudioClip(ExplainerTests.Mixture(16000 * 7, 16000), 16000);
        var rng = new Random(5);
        for (int round = 0; round < 50; round++)
        {
            var explainer = new Explainer(package, TestData.Options(round % 2 == 0 ? InterpreterKind.LmacTd : InterpreterKind.LmacStft));
            int done = 0, refused = 0;
            var unexpected = new List<Exception>();
            using var start = new Barrier(9);
            var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
            {
                start.SignalAndWait();
                while (true)
                {
                    try
                    {
                        explainer.Explain(clip);
                        Interlocked.Increment(ref done);
                    }
                    catch (ObjectDisposedException)
                    {
                        Interlocked.Increment(ref refused);
                        return;
                    }
                    catch (Exception e)
                    {
                        lock (unexpected) unexpected.Add(e);
                        return;
                    }
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            start.SignalAndWait();
            Thread.Sleep(rng.Next(0, 60));
            explainer.Dispose();
            Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a caller hung after Dispose"));
            Assert.Empty(unexpected);
            Assert.Equal(8, refused);
            Assert.Throws<ObjectDisposedException>(() => explainer.Explain(clip));
            Assert.Throws<ObjectDisposedException>(() => explainer.OpenStream(16000));
            explainer.Dispose();
        }
    }

    [Fact]
    public async Task Cancellation_stops_a_long_explanation_and_the_explainer_goes_on()
    {
        using var explainer = new Explainer(ModelPackage.Load(TestData.TinyPackage), TestData.Options(InterpreterKind.LmacTd));
        var clip = new AudioClip(ExplainerTests.Mixture(16000 * 120, 16000), 16000);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => explainer.ExplainAsync(clip, cts.Token));
        Assert.Equal(cts.Token, e.CancellationToken);
        var whole = explainer.Explain(clip.Samples.AsSpan(0, 16000 * 6), 16000);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60) && whole.Windows.Count == 2);
    }

    [Fact]
    public async Task ExplainBatchAsync_gives_what_ExplainBatch_gives()
    {
        using var explainer = new Explainer(ModelPackage.Load(TestData.TinyPackage), TestData.Options(InterpreterKind.LmacStft));
        AudioClip[] clips = [new(ExplainerTests.Mixture(20000, 16000), 16000), new(ExplainerTests.Mixture(50000, 44100), 44100)];
        var sync = explainer.ExplainBatch(clips);
        var async = await explainer.ExplainBatchAsync(clips);
        for (int i = 0; i < clips.Length; i++) Assert.Equal(sync[i].ExplanationWaveform, async[i].ExplanationWaveform);
    }

    [Fact]
    public void Long_audio_keeps_every_windows_mask_and_memory_light_mode_drops_them_after_the_metrics()
    {
        var package = ModelPackage.Load(TestData.TinyPackage);
        var x = ExplainerTests.Mixture(16000 * 14, 16000);
        using var keep = new Explainer(package, TestData.Options(InterpreterKind.LmacTd));
        var kept = keep.Explain(x, 16000);
        Assert.Equal(5, kept.Windows.Count);
        Assert.All(kept.Windows, w => Assert.Equal(w.MaskShape[0] * w.MaskShape[1], w.Mask.Length));
        // Windows differ, so each mask is its own.
        Assert.NotEqual(kept.Windows[0].Mask, kept.Windows[2].Mask);

        using var light = new Explainer(package, new ExplainerOptions
        {
            Interpreter = InterpreterKind.LmacTd,
            Inference = TestData.Options(InterpreterKind.LmacTd).Inference,
            KeepMaps = false,
        });
        var dropped = light.Explain(x, 16000);
        Assert.All(dropped.Windows, w => Assert.Empty(w.Mask));
        Assert.All(dropped.Windows, w => Assert.Empty(w.Evidence!.Map));
        for (int i = 0; i < kept.Windows.Count; i++) Assert.Equal(kept.Windows[i].Metrics, dropped.Windows[i].Metrics);
        Assert.Equal(kept.ExplanationWaveform, dropped.ExplanationWaveform);
    }
}
