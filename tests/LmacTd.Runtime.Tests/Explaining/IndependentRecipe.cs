using LmacTd.Runtime.Packages;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LmacTd.Runtime.Tests.Explaining;

/// <summary>
/// The SpeechBrain recipe's L-MAC q and r written out from the contract (models/README.md, steps 4 and 7) and the
/// specification's section 6, with none of the runtime's front end: a direct DFT in double precision, an HTK
/// filterbank built here, and the classifier graph run through ONNX Runtime's own session on the 425 frames of
/// <c>expm1(M * log1p |X|)</c> and <c>expm1((1 - M) * log1p |X|)</c>, unpadded.
/// </summary>
internal static class IndependentRecipe
{
    /// <summary>q and r of one window: <paramref name="input"/> at the model's rate, at most one clip long.</summary>
    public static (float[] Q, float[] R) QAndR(ModelPackage package, float[] input, float divisor, float[] mask)
    {
        var m = package.Manifest;
        var fe = m.FrontEnd;
        var spec = m.Interpreter<LmacStftSpec>()!;
        int frames = spec.MaskFrames, bins = spec.MaskBins, mels = fe.NMels;
        var clip = new double[m.ClipSamples];
        for (int i = 0; i < input.Length; i++) clip[i] = input[i] / divisor;

        var filters = Filterbank(fe);
        var logmel = new float[2 * frames * mels];
        var magIn = new double[bins];
        var magOut = new double[bins];
        var (cos, sin) = Twiddles(fe.Stft.NFft);
        for (int t = 0; t < frames; t++)
        {
            for (int k = 0; k < bins; k++)
            {
                double logMag = Math.Log(1 + Magnitude(clip, fe.Stft, t, k, cos, sin));
                double mk = mask[(t * bins) + k];
                magIn[k] = Math.Exp(mk * logMag) - 1;
                magOut[k] = Math.Exp((1 - mk) * logMag) - 1;
            }

            for (int b = 0; b < mels; b++)
            {
                double sumIn = 0, sumOut = 0;
                for (int k = 0; k < bins; k++)
                {
                    sumIn += filters[b, k] * magIn[k];
                    sumOut += filters[b, k] * magOut[k];
                }

                logmel[(t * mels) + b] = (float)Math.Log(1 + sumIn);
                logmel[((frames + t) * mels) + b] = (float)Math.Log(1 + sumOut);
            }
        }

        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(package.PathOf(m.Classifier.File), options);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("logmel", new DenseTensor<float>(logmel, [2, frames, mels]))], ["logits"]);
        var logits = results.First().AsEnumerable<float>().ToArray();
        int classes = logits.Length / 2;
        return (Softmax(logits.AsSpan(0, classes)), Softmax(logits.AsSpan(classes, classes)));
    }

    // |X[t, k]|: centred frame (nFft/2 zeros before the clip), periodic Hamming window of winLength samples centred in
    // nFft, eps-magnitude.
    private static double Magnitude(double[] x, StftSettings s, int frame, int k, double[] cos, double[] sin)
    {
        int offset = (s.NFft - s.WinLength) / 2;
        double re = 0, im = 0;
        for (int w = 0; w < s.WinLength; w++)
        {
            int j = offset + w;
            long n = ((long)frame * s.HopLength) + j - (s.NFft / 2);
            if (n < 0 || n >= x.Length) continue;
            double v = x[n] * (0.54 - (0.46 * Math.Cos(2 * Math.PI * w / s.WinLength)));
            int phase = (int)((long)k * j % s.NFft);
            re += v * cos[phase];
            im -= v * sin[phase];
        }

        return Math.Sqrt((re * re) + (im * im) + s.MagnitudeEpsilon);
    }

    private static (double[] Cos, double[] Sin) Twiddles(int n) =>
        ([.. Enumerable.Range(0, n).Select(i => Math.Cos(2 * Math.PI * i / n))], [.. Enumerable.Range(0, n).Select(i => Math.Sin(2 * Math.PI * i / n))]);

    // HTK triangles of peak 1: nMels + 2 points equally spaced in 2595 log10(1 + f/700) from fMin to fMax.
    private static double[,] Filterbank(FrontEndSettings fe)
    {
        int bins = fe.Stft.Bins;
        static double Mel(double hz) => 2595 * Math.Log10(1 + (hz / 700));
        static double Hz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);
        double lo = Mel(fe.FMin), hi = Mel(fe.FMax);
        var hz = Enumerable.Range(0, fe.NMels + 2).Select(i => Hz(lo + ((hi - lo) * i / (fe.NMels + 1)))).ToArray();
        var f = new double[fe.NMels, bins];
        for (int b = 0; b < fe.NMels; b++)
        {
            double centre = hz[b + 1], half = hz[b + 1] - hz[b];
            for (int k = 0; k < bins; k++)
            {
                double freq = k * (fe.SampleRate / 2.0) / (bins - 1);
                f[b, k] = Math.Max(0, 1 - (Math.Abs(freq - centre) / half));
            }
        }

        return f;
    }

    private static float[] Softmax(ReadOnlySpan<float> logits)
    {
        double max = double.NegativeInfinity;
        foreach (var v in logits) max = Math.Max(max, v);
        var e = new double[logits.Length];
        for (int i = 0; i < e.Length; i++) e[i] = Math.Exp(logits[i] - max);
        double sum = e.Sum();
        return [.. e.Select(v => (float)(v / sum))];
    }
}
