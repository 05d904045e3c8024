using LmacTd.Runtime.Features;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Reports;

/// <summary>
/// A log-mel spectrogram ready to draw: the package's own front end (what the classifier sees), in dB so quiet parts
/// stay visible, as rows of mel bands (highest band first, the order a heatmap draws top-down) by frames.
/// </summary>
internal sealed class LogMelImage
{
    private LogMelImage(double[,] decibels, double frameSeconds, double maxDb)
    {
        Decibels = decibels;
        FrameSeconds = frameSeconds;
        MaxDb = maxDb;
    }

    /// <summary>dB values, <c>[band (highest first), frame]</c>.</summary>
    public double[,] Decibels { get; }

    /// <summary>Seconds between frames.</summary>
    public double FrameSeconds { get; }

    /// <summary>The loudest cell.</summary>
    public double MaxDb { get; }

    /// <summary>Frames in the image.</summary>
    public int Frames => Decibels.GetLength(1);

    /// <summary>Computes the image of <paramref name="signal"/> at the model's rate.</summary>
    public static LogMelImage Of(ReadOnlySpan<float> signal, FrontEndSettings frontEnd)
    {
        var extractor = new LogMelExtractor(frontEnd);
        int frames = extractor.FrameCount(signal.Length), mels = frontEnd.NMels;
        var logMel = new float[frames * mels];
        extractor.Process(signal, logMel);
        var db = new double[mels, frames];
        double max = double.NegativeInfinity;
        for (int t = 0; t < frames; t++)
        {
            for (int m = 0; m < mels; m++)
            {
                // The front end gives log1p(mel magnitude); undo it to put the magnitude on a dB scale.
                double magnitude = Math.Exp(logMel[t * mels + m]) - 1;
                double v = 20 * Math.Log10(Math.Max(magnitude, 1e-9));
                db[mels - 1 - m, t] = v;
                max = Math.Max(max, v);
            }
        }

        return new LogMelImage(db, (double)frontEnd.Stft.HopLength / frontEnd.SampleRate, max);
    }

    /// <summary>The HTK mel value of <paramref name="hz"/> (the front end's mel scale).</summary>
    public static double Mel(double hz) => 2595 * Math.Log10(1 + hz / 700);
}
