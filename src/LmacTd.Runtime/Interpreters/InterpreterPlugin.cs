using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Interpreters;

/// <summary>
/// One kind of interpreter: its manifest key, how its manifest entry is read and checked, and how it runs. A new
/// kind is one subclass and one line in <see cref="InterpreterRegistry"/>; nothing else switches on the kind.
/// </summary>
internal abstract class InterpreterPlugin
{
    /// <summary>The manifest key (<c>interpreters.KEY</c>), lowercase.</summary>
    public abstract string Key { get; }

    /// <summary>The name people read in reports.</summary>
    public abstract string DisplayName { get; }

    /// <summary>The method's name as the paper's tables write it, for this entry (by default <see cref="DisplayName"/>).</summary>
    public virtual string Title(InterpreterSpec spec) => DisplayName;

    /// <summary>Reads and checks the kind's manifest entry (failures are <see cref="ModelPackageException"/>s naming the field).</summary>
    public abstract InterpreterSpec Read(InterpreterEntry entry);

    /// <summary>Makes the runner of one explainer over the opened graph (null when the spec names none).</summary>
    public abstract InterpreterRunner CreateRunner(InterpreterSpec spec, PackageManifest manifest, OnnxGraph? graph);
}
