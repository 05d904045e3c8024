using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>
/// Paths the reference encoder does not take (escape-coded partitions, including zero-width ones, 5-bit
/// Rice parameters above 15, wasted bits with a second-order predictor, 8-bit coded block sizes),
/// checked on a stream written here bit by bit from chosen samples, with its own CRCs computed bitwise.
/// </summary>
public class FlacHandMadeStreamTests
{
    private const int Block = 16;

    [Fact]
    public void Escaped_partitions_wide_rice_parameters_and_wasted_bits_decode_to_the_chosen_samples()
    {
        var rng = new Random(11);
        var first = Enumerable.Range(0, Block).Select(_ => rng.Next(-1000, 1001)).ToArray();
        var second = Enumerable.Range(0, Block).Select(_ => rng.Next(-1000, 1001)).ToArray();

        // Frame 2's first partition is escaped with zero bits: its residuals must be zero, so its
        // samples are what the second-order predictor says.
        for (int i = 2; i < 4; i++) second[i] = 2 * second[i - 1] - second[i - 2];

        var w = new FlacStreamWriter().StreamInfo(Block, 8000, 1, 16, 2 * Block);

        Frame(w, 0, sub =>
        {
            sub.Bits(0, 1).Bits(0b001001, 6).Bits(0, 1);          // FIXED order 1, no wasted bits
            sub.Signed(first[0], 16);
            sub.Bits(0, 2).Bits(1, 4);                            // 4-bit parameters, 2 partitions
            sub.Bits(15, 4).Bits(12, 5);                          // escaped, 12 raw bits
            for (int i = 1; i < 8; i++) sub.Signed(first[i] - first[i - 1], 12);
            sub.Bits(2, 4);
            for (int i = 8; i < Block; i++) sub.Rice(first[i] - first[i - 1], 2);
        });
        Frame(w, 1, sub =>
        {
            sub.Bits(0, 1).Bits(0b001010, 6).Bits(1, 1).Bits(1, 2); // FIXED order 2, wasted bits: unary 1 -> 2
            sub.Signed(second[0], 14).Signed(second[1], 14);
            sub.Bits(1, 2).Bits(2, 4);                            // 5-bit parameters, 4 partitions of 4
            sub.Bits(31, 5).Bits(0, 5);                           // escaped with zero bits: residuals 0
            sub.Bits(17, 5);
            for (int i = 4; i < 8; i++) sub.Rice(Residual(second, i), 17);
            sub.Bits(31, 5).Bits(14, 5);
            for (int i = 8; i < 12; i++) sub.Signed(Residual(second, i), 14);
            sub.Bits(0, 5);
            for (int i = 12; i < Block; i++) sub.Rice(Residual(second, i), 0);
        });

        var decoded = AudioDecoder.DecodeInterleaved(new MemoryStream(w.ToArray()), "hand.flac");
        Assert.Equal(8000, decoded.SampleRate);
        Assert.Equal(2 * Block, decoded.Count);
        Assert.Equal(2 * Block, decoded.DeclaredFrames);
        var expected = first.Concat(second.Select(s => s << 2)).ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], decoded.Span[i] * 32768f);
    }

    private static int Residual(int[] s, int i) => s[i] - (2 * s[i - 1] - s[i - 2]);

    /// <summary>Writes one mono 16-bit frame of <see cref="Block"/> samples: block size in 8 bits after the header, rate from STREAMINFO.</summary>
    private static void Frame(FlacStreamWriter w, int number, Action<FlacStreamWriter> subframe) =>
        w.Frame(blockCode: 6, rateCode: 0, assignment: 0, sizeCode: 4, number, subframe, blockSize: Block);
}
