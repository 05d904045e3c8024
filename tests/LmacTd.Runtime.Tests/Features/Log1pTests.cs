using LmacTd.Runtime.Features;

namespace LmacTd.Runtime.Tests.Features;

public class Log1pTests
{
    [Fact]
    public void Equals_the_scalar_double_log1p_rounded_to_float_over_a_million_values()
    {
        // Magnitudes and mel energies as the front end sees them: from the eps floor (1e-7) to a few thousand.
        var rng = new Random(5);
        var x = new float[1 << 20];
        for (int i = 0; i < x.Length; i++) x[i] = (float)Math.Pow(10, (rng.NextDouble() * 11) - 7.5);
        x[0] = 0;
        x[1] = float.Epsilon;
        var y = new float[x.Length];
        Log1p.Apply(x, y);
        int differ = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (y[i] != (float)Math.Log(1 + (double)x[i])) differ++;
        }

        Assert.Equal(0, differ);
    }

    [Fact]
    public void In_place_equals_out_of_place_and_short_spans_work()
    {
        foreach (int n in new[] { 0, 1, 3, 80, 511, 512, 513, 1500 })
        {
            var x = TestData.Noise(n, n + 1, 4.0).Select(Math.Abs).ToArray();
            var y = new float[n];
            Log1p.Apply(x, y);
            Log1p.InPlace(x);
            Assert.Equal(y, x);
        }
    }

    [Fact]
    public void A_short_output_is_refused() =>
        Assert.Throws<ArgumentException>(() => Log1p.Apply(new float[10], new float[9]));
}
