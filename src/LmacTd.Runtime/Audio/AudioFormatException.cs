namespace LmacTd.Runtime.Audio;

/// <summary>An audio file could not be read: corrupt, truncated, empty or of an unsupported format.</summary>
public sealed class AudioFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/>.</summary>
    /// <param name="file">The file at fault.</param>
    /// <param name="problem">What is wrong, one line.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public AudioFormatException(string file, string problem, Exception? inner = null)
        : base($"{file}: {problem}", inner)
    {
        File = file;
        Problem = problem;
    }

    /// <summary>The file at fault.</summary>
    public string File { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
