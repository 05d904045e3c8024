using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LmacTd.Runtime.Features;

/// <summary>
/// The forward FFT of real frames in double precision, <see cref="Lanes"/> frames at once, one per SIMD lane of
/// <see cref="Vector{T}"/>: the half-size complex FFT of each frame's even and odd samples (radix 2, decimation in
/// time, the input placed in bit-reversed order as it is loaded), then split into the one-sided spectrum. Every lane runs
/// the very same operations, so a frame's spectrum does not depend on its lane or on the frames beside it.
/// Use: <see cref="Clear"/>, <see cref="Load"/> each frame's non-zero samples, <see cref="Transform"/>, then read
/// <see cref="Magnitudes"/> or <see cref="Spectrum"/>.
/// </summary>
/// <remarks>
/// Why not NWaves' <c>RealFft64</c>, which the STFT used before: it transforms one frame at a time in scalar code, and
/// that was 83 % of the log-mel front end (3.6 of 4.3 ms per 5 s clip: 431 frames of 1024 points, on the 2-core AMD
/// EPYC Zen 5 of benchmarks/RESULTS.md). No library in the package registry transforms with SIMD. An instance owns
/// its buffers: use one per thread.
/// </remarks>
internal sealed class LaneFft
{
    private readonly int _half;
    private readonly int[] _bitReverse;
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly double[] _splitCos;
    private readonly double[] _splitSin;
    private readonly Vector<double>[] _re;
    private readonly Vector<double>[] _im;
    private readonly Vector<double>[] _xr;
    private readonly Vector<double>[] _xi;

    /// <summary>Prepares the FFT of <paramref name="size"/> real samples (a power of two, at least 4).</summary>
    public LaneFft(int size)
    {
        if (size < 4 || (size & (size - 1)) != 0) throw new ArgumentException($"the FFT size must be a power of two >= 4, got {size}", nameof(size));
        Size = size;
        int half = _half = size / 2;
        int bits = BitOperations.Log2((uint)half);
        _bitReverse = new int[half];
        for (int p = 0; p < half; p++) _bitReverse[p] = (int)(ReverseBits((uint)p) >> (32 - bits));
        // exp(-2 pi i j / half) = cos + i sin (sin stored negated) for the butterflies; exp(-2 pi i k / size) for the split.
        _cos = new double[half / 2];
        _sin = new double[half / 2];
        for (int j = 0; j < half / 2; j++)
        {
            _cos[j] = Math.Cos(2 * Math.PI * j / half);
            _sin[j] = -Math.Sin(2 * Math.PI * j / half);
        }

        // Split reads k = 1..half-1 (bins 0 and half are sums and differences of the packed DC point).
        _splitCos = new double[half];
        _splitSin = new double[half];
        for (int k = 0; k < half; k++)
        {
            _splitCos[k] = Math.Cos(2 * Math.PI * k / size);
            _splitSin[k] = -Math.Sin(2 * Math.PI * k / size);
        }

        _re = new Vector<double>[half];
        _im = new Vector<double>[half];
        _xr = new Vector<double>[half + 1];
        _xi = new Vector<double>[half + 1];
    }

    /// <summary>Frames transformed at once: the lanes of <see cref="Vector{T}"/> of double (4 with AVX2 or AVX-512, 2 with NEON).</summary>
    public static int Lanes => Vector<double>.Count;

    /// <summary>Samples per frame.</summary>
    public int Size { get; }

    /// <summary>One-sided bins per frame, <c>Size/2 + 1</c>.</summary>
    public int Bins => _half + 1;

    /// <summary>Sets every sample of every lane to zero.</summary>
    public void Clear()
    {
        Array.Clear(_re);
        Array.Clear(_im);
    }

    /// <summary>Sets samples <paramref name="offset"/> onwards of lane <paramref name="lane"/>'s frame to <paramref name="samples"/>.</summary>
    public void Load(int lane, int offset, ReadOnlySpan<double> samples)
    {
        if ((uint)lane >= (uint)Lanes) throw new ArgumentOutOfRangeException(nameof(lane), $"lane must be in 0..{Lanes - 1}, got {lane}");
        if (offset < 0 || offset + samples.Length > Size) throw new ArgumentOutOfRangeException(nameof(offset), $"samples {offset}..{offset + samples.Length - 1} do not fit a frame of {Size}");
        int lanes = Lanes;
        var re = MemoryMarshal.Cast<Vector<double>, double>(_re.AsSpan());
        var im = MemoryMarshal.Cast<Vector<double>, double>(_im.AsSpan());
        // Packed point p = sample 2p + i sample 2p+1, at its bit-reversed place.
        for (int i = 0; i < samples.Length; i++)
        {
            int s = offset + i;
            int at = (_bitReverse[s >> 1] * lanes) + lane;
            if ((s & 1) == 0) re[at] = samples[i];
            else im[at] = samples[i];
        }
    }

    /// <summary>Transforms the loaded frames (the loaded samples are overwritten: <see cref="Clear"/> before loading again).</summary>
    public void Transform()
    {
        Butterflies();
        Split();
    }

    /// <summary>
    /// The eps-magnitudes <c>sqrt(re^2 + im^2 + eps)</c> of lanes 0..<paramref name="count"/>-1, frame-major into
    /// <paramref name="output"/> (<see cref="Bins"/> each).
    /// </summary>
    public void Magnitudes(int count, double eps, Span<float> output)
    {
        int bins = Bins, lanes = Lanes;
        if (count < 0 || count > lanes) throw new ArgumentOutOfRangeException(nameof(count), $"need 0..{lanes} lanes, got {count}");
        if (output.Length < count * bins) throw new ArgumentException($"need {count * bins} values", nameof(output));
        var e = new Vector<double>(eps);
        for (int k = 0; k < bins; k++)
        {
            Vector<double> r = _xr[k], i = _xi[k];
            _xr[k] = Vector.SquareRoot((r * r) + (i * i) + e);
        }

        var m = MemoryMarshal.Cast<Vector<double>, double>(_xr.AsSpan());
        for (int lane = 0; lane < count; lane++)
        {
            var dst = output.Slice(lane * bins, bins);
            for (int k = 0; k < dst.Length; k++) dst[k] = (float)m[(k * lanes) + lane];
        }
    }

    /// <summary>The one-sided spectrum of lane <paramref name="lane"/> into <paramref name="re"/> and <paramref name="im"/> (<see cref="Bins"/> each).</summary>
    public void Spectrum(int lane, Span<float> re, Span<float> im)
    {
        int bins = Bins, lanes = Lanes;
        if ((uint)lane >= (uint)lanes) throw new ArgumentOutOfRangeException(nameof(lane), $"lane must be in 0..{lanes - 1}, got {lane}");
        if (re.Length < bins || im.Length < bins) throw new ArgumentException($"need {bins} values in re and im");
        var xr = MemoryMarshal.Cast<Vector<double>, double>(_xr.AsSpan());
        var xi = MemoryMarshal.Cast<Vector<double>, double>(_xi.AsSpan());
        for (int k = 0; k < bins; k++)
        {
            re[k] = (float)xr[(k * lanes) + lane];
            im[k] = (float)xi[(k * lanes) + lane];
        }
    }

    private void Butterflies()
    {
        ref var re = ref MemoryMarshal.GetArrayDataReference(_re);
        ref var im = ref MemoryMarshal.GetArrayDataReference(_im);
        int n = _half;
        // Sizes 2 and 4 together: their twiddles are 1 and -i.
        for (int a = 0; a + 3 < n; a += 4)
        {
            Vector<double> r0 = Unsafe.Add(ref re, a), i0 = Unsafe.Add(ref im, a);
            Vector<double> r1 = Unsafe.Add(ref re, a + 1), i1 = Unsafe.Add(ref im, a + 1);
            Vector<double> r2 = Unsafe.Add(ref re, a + 2), i2 = Unsafe.Add(ref im, a + 2);
            Vector<double> r3 = Unsafe.Add(ref re, a + 3), i3 = Unsafe.Add(ref im, a + 3);
            Vector<double> sr0 = r0 + r1, si0 = i0 + i1, dr0 = r0 - r1, di0 = i0 - i1;
            Vector<double> sr1 = r2 + r3, si1 = i2 + i3, dr1 = r2 - r3, di1 = i2 - i3;
            Unsafe.Add(ref re, a) = sr0 + sr1;
            Unsafe.Add(ref im, a) = si0 + si1;
            Unsafe.Add(ref re, a + 2) = sr0 - sr1;
            Unsafe.Add(ref im, a + 2) = si0 - si1;
            // (dr1 + i di1) * -i = di1 - i dr1
            Unsafe.Add(ref re, a + 1) = dr0 + di1;
            Unsafe.Add(ref im, a + 1) = di0 - dr1;
            Unsafe.Add(ref re, a + 3) = dr0 - di1;
            Unsafe.Add(ref im, a + 3) = di0 + dr1;
        }

        if (n == 2)
        {
            Vector<double> r0 = re, i0 = im, r1 = Unsafe.Add(ref re, 1), i1 = Unsafe.Add(ref im, 1);
            re = r0 + r1;
            im = i0 + i1;
            Unsafe.Add(ref re, 1) = r0 - r1;
            Unsafe.Add(ref im, 1) = i0 - i1;
        }

        for (int size = 8; size <= n; size <<= 1)
        {
            int span = size >> 1, step = n / size;
            for (int j = 0; j < span; j++)
            {
                var wr = new Vector<double>(_cos[j * step]);
                var wi = new Vector<double>(_sin[j * step]);
                for (int a = j; a < n; a += size)
                {
                    ref var ra = ref Unsafe.Add(ref re, a);
                    ref var ia = ref Unsafe.Add(ref im, a);
                    ref var rb = ref Unsafe.Add(ref re, a + span);
                    ref var ib = ref Unsafe.Add(ref im, a + span);
                    Vector<double> br = rb, bi = ib;
                    var xr = (br * wr) - (bi * wi);
                    var xi = (br * wi) + (bi * wr);
                    Vector<double> ur = ra, ui = ia;
                    ra = ur + xr;
                    ia = ui + xi;
                    rb = ur - xr;
                    ib = ui - xi;
                }
            }
        }
    }

    // X[k] = E[k] + exp(-2 pi i k / size) O[k], with E and O the spectra of the even and odd samples taken from the
    // packed spectrum Z: E[k] = (Z[k] + conj Z[half-k]) / 2, O[k] = (Z[k] - conj Z[half-k]) / 2i.
    private void Split()
    {
        int half = _half;
        var re = _re.AsSpan(0, half);
        var im = _im.AsSpan(0, half);
        var xrs = _xr.AsSpan(0, half + 1);
        var xis = _xi.AsSpan(0, half + 1);
        var h = new Vector<double>(0.5);
        xrs[0] = re[0] + im[0];
        xis[0] = Vector<double>.Zero;
        xrs[half] = re[0] - im[0];
        xis[half] = Vector<double>.Zero;
        for (int k = 1; k < half; k++)
        {
            Vector<double> zr = re[k], zi = im[k], mr = re[half - k], mi = im[half - k];
            var er = (zr + mr) * h;
            var ei = (zi - mi) * h;
            var or = (zi + mi) * h;
            var oi = (mr - zr) * h;
            var wr = new Vector<double>(_splitCos[k]);
            var wi = new Vector<double>(_splitSin[k]);
            xrs[k] = er + ((wr * or) - (wi * oi));
            xis[k] = ei + ((wr * oi) + (wi * or));
        }
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
