using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

public class WavStreamWriterTests
{
    [Theory]
    [InlineData("Float32", 1)]
    [InlineData("Float32", 997)]
    [InlineData("Pcm16", 1)]
    [InlineData("Pcm16", 40000)]
    public void Written_in_pieces_the_file_equals_the_whole_encode_byte_for_byte(string formatName, int piece)
    {
        // By name: the enum is internal, and a public test method cannot take it.
        var format = Enum.Parse<WavSampleFormat>(formatName);
        // Past full scale and NaN too, so the 16-bit clipping is compared as well.
        var samples = TestData.Noise(50_001, 9, 1.4);
        samples[17] = float.NaN;
        using var stream = new MemoryStream();
        using (var writer = new WavStreamWriter(stream, 44100, format, ownsStream: false))
        {
            for (int at = 0; at < samples.Length; at += piece) writer.Write(samples.AsSpan(at, Math.Min(piece, samples.Length - at)));
            writer.Complete();
            Assert.Equal(samples.Length, writer.SampleCount);
        }

        Assert.Equal(WavWriter.Encode(samples, 44100, format), stream.ToArray());
    }

    [Fact]
    public void The_decoder_reads_back_what_was_written()
    {
        var samples = TestData.Sine(3000, 8000, 300);
        using var stream = new MemoryStream();
        using (var writer = new WavStreamWriter(stream, 8000, ownsStream: false))
        {
            writer.Write(samples.AsSpan(0, 1000));
            writer.Write(samples.AsSpan(1000));
            writer.Complete();
        }

        stream.Position = 0;
        var clip = AudioDecoder.Decode(stream, "x.wav");

        Assert.Equal(8000, clip.SampleRate);
        Assert.Equal(samples, clip.Samples);
        Assert.Equal(samples.Length, clip.DeclaredFrames);
    }

    [Fact]
    public void An_empty_file_is_a_valid_header()
    {
        using var stream = new MemoryStream();
        using (var writer = new WavStreamWriter(stream, 16000, WavSampleFormat.Pcm16, ownsStream: false)) writer.Complete();

        Assert.Equal(WavWriter.Encode([], 16000, WavSampleFormat.Pcm16), stream.ToArray());
    }
}

/// <summary>The streaming writer's arguments, its end, and whose stream it closes.</summary>
public class WavStreamWriterEdgeTests
{
    [Fact]
    public void Streams_it_cannot_patch_and_bad_rates_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => new WavStreamWriter(null!, 8000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WavStreamWriter(new MemoryStream(), 0));
        var e = Assert.Throws<ArgumentException>(() => new WavStreamWriter(new MemoryStream(new byte[10], writable: false), 8000));
        Assert.Contains("writable and seekable", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new WavStreamWriter(new UnseekableStream(), 8000));
    }

    [Fact]
    public void After_complete_the_file_is_flushed_and_takes_no_more_samples()
    {
        var target = new MemoryStream();
        using var buffered = new BufferedStream(target, 1 << 20);
        using var writer = new WavStreamWriter(buffered, 8000, WavSampleFormat.Pcm16, ownsStream: false);
        var samples = TestData.Sine(1000, 8000, 200);
        writer.Write(samples);
        writer.Complete();
        writer.Complete(); // a second end changes nothing

        // Flushed through the buffer: the bytes below are the whole file.
        Assert.Equal(WavWriter.Encode(samples, 8000, WavSampleFormat.Pcm16), target.ToArray());
        Assert.Equal(buffered.Length, buffered.Position);
        var e = Assert.Throws<InvalidOperationException>(() => writer.Write(samples));
        Assert.Contains("has been completed", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Dispose_closes_the_stream_only_when_it_was_given_to_own(bool owns)
    {
        var stream = new MemoryStream();
        new WavStreamWriter(stream, 8000, ownsStream: owns).Dispose();
        Assert.Equal(!owns, stream.CanWrite);
    }

    private sealed class UnseekableStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
