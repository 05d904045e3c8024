namespace LmacTd.Runtime.Packages;

/// <summary>
/// A model package is missing, damaged or does not match the model-package contract.
/// The message names the file and what differs.
/// </summary>
public sealed class ModelPackageException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/> with a description of the problem.</summary>
    /// <param name="file">The file (or folder) at fault.</param>
    /// <param name="problem">What is wrong with it, one line.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ModelPackageException(string file, string problem, Exception? inner = null)
        : base($"{file}: {problem}", inner)
    {
        File = file;
        Problem = problem;
    }

    /// <summary>The file (or folder) at fault.</summary>
    public string File { get; }

    /// <summary>What is wrong with <see cref="File"/>.</summary>
    public string Problem { get; }
}
