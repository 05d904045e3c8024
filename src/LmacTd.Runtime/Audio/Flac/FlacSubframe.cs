namespace LmacTd.Runtime.Audio.Flac;

/// <summary>
/// Decodes one channel's subframe: CONSTANT, VERBATIM, FIXED (orders 0-4) and LPC (orders 1-32), with
/// wasted bits and Rice-coded residuals (4- and 5-bit parameters, escaped partitions).
/// Part of the hand-written FLAC decoder: no maintained managed FLAC decoder is served on NuGet here.
/// </summary>
internal static class FlacSubframe
{
    /// <summary>Decodes into <paramref name="output"/> (one sample per element) at <paramref name="bps"/> bits (side channels one more).</summary>
    public static void Decode(FlacBitReader bits, Span<int> output, int bps)
    {
        if (bits.ReadBits(1) != 0) throw new InvalidDataException("subframe padding bit is set");
        int type = (int)bits.ReadBits(6);
        int wasted = bits.ReadBits(1) == 1 ? bits.ReadUnary() + 1 : 0;
        if (wasted >= bps) throw new InvalidDataException($"{wasted} wasted bits of {bps}");
        int width = bps - wasted;

        switch (type)
        {
            case 0:
                output.Fill(bits.ReadSigned(width));
                break;
            case 1:
                for (int i = 0; i < output.Length; i++) output[i] = bits.ReadSigned(width);
                break;
            case >= 8 and <= 12:
                DecodeFixed(bits, output, width, type - 8);
                break;
            case >= 32:
                DecodeLpc(bits, output, width, type - 31);
                break;
            default:
                throw new InvalidDataException($"reserved subframe type {type}");
        }

        if (wasted > 0)
        {
            foreach (ref int s in output) s <<= wasted;
        }
    }

    private static void DecodeFixed(FlacBitReader bits, Span<int> s, int width, int order)
    {
        if (order > s.Length) throw new InvalidDataException($"fixed predictor of order {order} in a block of {s.Length}");
        for (int i = 0; i < order; i++) s[i] = bits.ReadSigned(width);
        ReadResidual(bits, s, order);
        switch (order)
        {
            case 1:
                for (int i = 1; i < s.Length; i++) s[i] += s[i - 1];
                break;
            case 2:
                for (int i = 2; i < s.Length; i++) s[i] += (int)(2L * s[i - 1] - s[i - 2]);
                break;
            case 3:
                for (int i = 3; i < s.Length; i++) s[i] += (int)(3L * s[i - 1] - 3L * s[i - 2] + s[i - 3]);
                break;
            case 4:
                for (int i = 4; i < s.Length; i++) s[i] += (int)(4L * s[i - 1] - 6L * s[i - 2] + 4L * s[i - 3] - s[i - 4]);
                break;
        }
    }

    private static void DecodeLpc(FlacBitReader bits, Span<int> s, int width, int order)
    {
        if (order > s.Length) throw new InvalidDataException($"LPC of order {order} in a block of {s.Length}");
        for (int i = 0; i < order; i++) s[i] = bits.ReadSigned(width);
        int precision = (int)bits.ReadBits(4) + 1;
        if (precision == 16) throw new InvalidDataException("invalid LPC coefficient precision");
        int shift = bits.ReadSigned(5);
        if (shift < 0) throw new InvalidDataException($"negative LPC shift {shift}");
        Span<int> coefs = stackalloc int[32];
        coefs = coefs[..order];
        for (int j = 0; j < order; j++) coefs[j] = bits.ReadSigned(precision);
        ReadResidual(bits, s, order);
        for (int i = order; i < s.Length; i++)
        {
            long sum = 0;
            for (int j = 0; j < order; j++) sum += (long)coefs[j] * s[i - 1 - j];
            s[i] += (int)(sum >> shift);
        }
    }

    /// <summary>Reads the residual of the samples after the warm-up into <c>s[order..]</c>.</summary>
    private static void ReadResidual(FlacBitReader bits, Span<int> s, int order)
    {
        int method = (int)bits.ReadBits(2);
        if (method > 1) throw new InvalidDataException($"reserved residual coding method {method}");
        int paramBits = method == 0 ? 4 : 5;
        int escape = (1 << paramBits) - 1;
        int partitionOrder = (int)bits.ReadBits(4);
        int partitions = 1 << partitionOrder;
        if (s.Length % partitions != 0 || s.Length / partitions < order)
            throw new InvalidDataException($"partition order {partitionOrder} does not fit a block of {s.Length} with predictor order {order}");

        int perPartition = s.Length / partitions;
        int i = order;
        for (int p = 0; p < partitions; p++)
        {
            int end = (p + 1) * perPartition;
            int k = (int)bits.ReadBits(paramBits);
            if (k == escape)
            {
                int raw = (int)bits.ReadBits(5);
                for (; i < end; i++) s[i] = bits.ReadSigned(raw);
            }
            else
            {
                for (; i < end; i++) s[i] = bits.ReadRice(k);
            }
        }
    }
}
