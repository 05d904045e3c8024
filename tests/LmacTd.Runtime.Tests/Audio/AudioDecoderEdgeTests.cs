using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>The decoder's front door: arguments, streams that cannot seek or fail, the shortest inputs, the clip it returns.</summary>
public class AudioDecoderEdgeTests
{
    [Fact]
    public void Missing_arguments_are_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => AudioDecoder.Load(null!));
        Assert.ThrowsAny<ArgumentException>(() => AudioDecoder.Load(" "));
        Assert.Throws<ArgumentNullException>(() => AudioDecoder.Decode(null!, "x"));
        Assert.Throws<ArgumentNullException>(() => AudioDecoder.Decode(new MemoryStream(new byte[100]), null!));
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_read_whole_first()
    {
        var wav = WavBuilder.Build(TestData.Noise(2 * 3000, 4, 0.8), 2, 22050, 24, false, false);
        var clip = AudioDecoder.Decode(new ForwardOnlyStream(wav), "pipe");
        Assert.Equal(AudioDecoder.Decode(new MemoryStream(wav), "file").Samples, clip.Samples);
        Assert.Equal(2, clip.SourceChannels);
    }

    [Fact]
    public void A_single_frame_is_audio()
    {
        var clip = AudioDecoder.Decode(new MemoryStream(WavBuilder.Build([0.5f, -0.25f], 2, 8000, 16, false, false)), "one.wav");
        Assert.Equal([0.125f], clip.Samples);
    }

    [Theory]
    [InlineData("abcd", 0, "not an audio file: starts with \"abcd\"")]
    [InlineData("xyabc", 2, "too short to be an audio file")]
    [InlineData("..not audio!", 2, "not an audio file: starts with \"not audio!\"")]
    [InlineData("..0123456789abcdefXYZ", 2, "not an audio file: starts with \"0123456789abcdef...\"")]
    public void The_shortest_inputs_are_told_apart_from_the_streams_position(string content, int position, string message)
    {
        var stream = new MemoryStream(content.Select(c => (byte)c).ToArray()) { Position = position };
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(stream, "s"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_error_is_reported_as_an_audio_format_error_naming_the_input()
    {
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new FailingStream(), "disk.wav"));
        Assert.Equal("disk.wav", e.File);
        Assert.Contains("corrupt or unsupported audio (the disk went away)", e.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(e.InnerException);
    }

    [Fact]
    public void A_clip_checks_its_arguments_and_reports_truncation()
    {
        Assert.Throws<ArgumentNullException>(() => new AudioClip(null!, 8000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioClip([1f], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioClip([1f], 8000, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioClip([1f], 8000) { DeclaredFrames = -1 });

        var clip = new AudioClip(new float[4000], 8000, 2, "a.wav") { DeclaredFrames = 8000 };
        Assert.Equal(0.5, clip.DurationSeconds);
        Assert.Equal(1.0, clip.DeclaredSeconds);
        Assert.True(clip.Truncated);
        Assert.Equal("a.wav", clip.Source);
        Assert.False(new AudioClip(new float[4000], 8000) { DeclaredFrames = 4000 }.Truncated);
        Assert.False(new AudioClip(new float[4000], 8000) { DeclaredFrames = 0 }.Truncated);
        Assert.Null(new AudioClip(new float[4000], 8000).DeclaredSeconds);
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }

    private sealed class FailingStream() : MemoryStream(new byte[1000])
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("the disk went away");

        public override int Read(Span<byte> buffer) => throw new IOException("the disk went away");
    }
}

/// <summary>The buffers and rules under the decoders: growth by what arrives, downmixing, the normalisation divisor.</summary>
public class AudioBufferTests
{
    [Fact]
    public void A_sample_buffer_grows_by_what_is_written_and_keeps_it()
    {
        var buffer = new SampleBuffer(4);
        var x = TestData.Noise(10_000, 6);
        for (int at = 0; at < x.Length; at += 777)
        {
            int n = Math.Min(777, x.Length - at);
            x.AsSpan(at, n).CopyTo(buffer.GetSpan(n));
            buffer.Advance(n);
        }

        Assert.Equal(x.Length, buffer.Count);
        Assert.Equal(x, buffer.ToDecoded(1, 8000, null).Span.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.GetSpan(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(1 << 20));
    }

    [Fact]
    public void Appending_stops_counting_when_the_source_gives_nothing_and_truncating_is_clamped()
    {
        var buffer = new SampleBuffer();
        Assert.Equal(3, buffer.Append((a, o, c) =>
        {
            a[o] = 1;
            a[o + 1] = 2;
            a[o + 2] = 3;
            return 3;
        }, 10));
        Assert.Equal(0, buffer.Append((_, _, _) => 0, 10));
        Assert.Equal(-1, buffer.Append((_, _, _) => -1, 10));
        Assert.Equal(3, buffer.Count);
        buffer.Truncate(99);
        Assert.Equal(3, buffer.Count);
        Assert.Equal(2, buffer.ToDecoded(2, 8000, 5).Count); // whole frames only
        buffer.Truncate(2);
        Assert.Equal([1f, 2f], buffer.ToDecoded(1, 8000, 5).Span.ToArray());
        buffer.Truncate(-4);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void Downmixing_averages_and_checks_its_arguments()
    {
        float[] interleaved = [1f, 0f, 0.5f, -0.5f, 0.25f, 0.75f];
        Assert.Equal([0.5f, 0f, 0.5f], Downmix.ToMono(interleaved, 2));
        Assert.Equal([0.25f, 0.25f], Downmix.ToMono([0.75f, 0f, 0f, 0.25f, 0.5f, 0f], 3));
        Assert.Equal(interleaved, Downmix.ToMono(interleaved, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Downmix.ToMono(interleaved, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Downmix.ToMono(interleaved, 0, new float[6]));
        var e = Assert.Throws<ArgumentException>(() => Downmix.ToMono(interleaved, 2, new float[2]));
        Assert.Contains("mono needs 3 samples, has 2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 1e-6f, -0.5f }, 0.5f)]     // the maximum not above the threshold: the largest magnitude divides
    [InlineData(new[] { 2e-6f, -0.5f }, 2e-6f)]    // just above it: the signed maximum divides
    [InlineData(new[] { -1e-6f, 0f }, null)]       // nothing above it in magnitude: silent
    [InlineData(new[] { -0.3f, -0.1f }, 0.3f)]
    public void The_divisor_follows_the_signed_max_rule_at_its_threshold(float[] clip, float? expected) =>
        Assert.Equal(expected, SignedMaxNormalisation.TryDivisor(clip));
}
