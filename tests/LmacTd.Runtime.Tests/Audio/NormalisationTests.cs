using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

public class NormalisationTests
{
    [Fact]
    public void Divides_by_the_signed_maximum_not_the_absolute_one() =>
        Assert.Equal(0.5f, SignedMaxNormalisation.Divisor([0.1f, 0.5f, -0.9f]));

    [Fact]
    public void An_all_negative_clip_falls_back_to_the_absolute_maximum() =>
        Assert.Equal(0.9f, SignedMaxNormalisation.Divisor([-0.1f, -0.9f, 0f]));

    [Fact]
    public void Silence_is_refused()
    {
        Assert.Null(SignedMaxNormalisation.TryDivisor(new float[100]));
        Assert.Null(SignedMaxNormalisation.TryDivisor([1e-7f, -1e-7f]));
        var e = Assert.Throws<ArgumentException>(() => SignedMaxNormalisation.Divisor(new float[10]));
        Assert.Contains("silent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaN_is_refused_with_its_position()
    {
        var e = Assert.Throws<ArgumentException>(() => SignedMaxNormalisation.TryDivisor([0.1f, float.NaN]));
        Assert.Contains("sample 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Downmix_averages_channels() =>
        Assert.Equal([0.25f, -0.1875f], Downmix.ToMono([1f, 0f, 0.5f, -0.5f, 0f, -1f, 0.25f, 0f], 4));
}
