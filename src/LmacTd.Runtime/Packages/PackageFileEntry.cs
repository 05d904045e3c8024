namespace LmacTd.Runtime.Packages;

/// <summary>The size and digest the manifest records for one file of the package.</summary>
/// <param name="Sha256">64 lowercase hex digits.</param>
/// <param name="Bytes">Size in bytes.</param>
internal sealed record PackageFileEntry(string Sha256, long Bytes);
