using System.Buffers.Binary;
using LmacTd.Runtime.Audio;
using Xunit.Abstractions;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>
/// Small files whose headers claim gigabytes: the decoder's allocations follow the bytes actually present.
/// Measured with the thread's allocation counter around one decode (after a warm-up decode of the same
/// bytes, so one-time static tables do not count).
/// </summary>
public class AllocationBoundTests(ITestOutputHelper output)
{
    private const long Overhead = 64 * 1024;

    public static TheoryData<string> Cases() => new() { "wav-data", "wav-riff-and-data", "wav-32ch", "wav-fmt", "wav-chunk-before-fmt", "aiff", "flac" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_5_KB_file_claiming_huge_sizes_allocates_a_few_times_its_decoded_size(string kind)
    {
        var bytes = Make(kind);
        Assert.InRange(bytes.Length, 4 * 1024, 6 * 1024);
        long decodedBytes = TryDecodeInterleavedBytes(bytes);
        bool refused = kind is "wav-fmt" or "wav-chunk-before-fmt";
        Assert.Equal(refused, decodedBytes == 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        TryDecodeInterleavedBytes(bytes);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        long bound = Overhead + 8 * (bytes.Length + decodedBytes);
        output.WriteLine($"{kind}: {bytes.Length} B file, {decodedBytes} B decoded, {allocated} B allocated");
        Assert.True(allocated <= bound, $"{kind}: {allocated} bytes allocated for a {bytes.Length}-byte file decoding to {decodedBytes} bytes (bound {bound})");
    }

    [Fact]
    public void A_wav_declaring_two_gigabytes_yields_the_samples_present_and_the_declared_length()
    {
        var clip = AudioDecoder.Decode(new MemoryStream(Make("wav-data")), "huge.wav");
        Assert.Equal((5 * 1024 - 44) / 2, clip.Samples.Length);
        Assert.Equal(0x7FFFFFF0L / 2, clip.DeclaredFrames);
        Assert.True(clip.Truncated);
    }

    private static long TryDecodeInterleavedBytes(byte[] bytes)
    {
        try
        {
            return AudioDecoder.DecodeInterleaved(new MemoryStream(bytes), "huge").Count * sizeof(float);
        }
        catch (AudioFormatException)
        {
            return 0;
        }
    }

    private static byte[] Make(string kind)
    {
        const int size = 5 * 1024;
        switch (kind)
        {
            case "wav-data":
            case "wav-riff-and-data":
            case "wav-fmt":
            {
                var wav = WavBuilder.Build(TestData.Noise((size - 44) / 2, 3), 1, 16000, 16, false, false);
                BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), 0x7FFFFFF0); // data size
                if (kind == "wav-riff-and-data") BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(4), 0xFFFFFFF0);
                if (kind == "wav-fmt") BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(16), 0x7FFFFFF0);
                return wav;
            }

            case "wav-32ch":
            {
                var wav = WavBuilder.Build(TestData.Noise((size - 44) / 2 / 32 * 32, 4), 32, 16000, 16, false, false);
                BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), 0x7FFFFFC0);
                return wav;
            }

            case "wav-chunk-before-fmt":
            {
                // A chunk claiming 2 GB stands where "fmt " should be.
                var wav = WavBuilder.Build(TestData.Noise((size - 44) / 2, 5), 1, 16000, 16, false, false);
                "junk"u8.CopyTo(wav.AsSpan(12));
                BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(16), 0x7FFFFFF0);
                return wav;
            }

            case "aiff":
            {
                var aiff = File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, "aiff16-stereo.aiff"))[..size];
                int comm = InputSanityTests.IndexOf(aiff, "COMM"u8);
                BinaryPrimitives.WriteUInt32BigEndian(aiff.AsSpan(comm + 10), 0xFFFFFFF0); // frames
                int ssnd = InputSanityTests.IndexOf(aiff, "SSND"u8);
                BinaryPrimitives.WriteUInt32BigEndian(aiff.AsSpan(ssnd + 4), 0x7FFFFFF0);
                return aiff;
            }

            default:
            {
                var flac = File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, "flac16-stereo-modes.flac"))[..size];

                // STREAMINFO: maximum block size (bytes 10-11) and the 36-bit total (low nibble of byte 21, bytes 22-25).
                flac[10] = 0xFF;
                flac[11] = 0xFF;
                flac[21] |= 0x0F;
                flac.AsSpan(22, 4).Fill(0xFF);
                return flac;
            }
        }
    }
}
