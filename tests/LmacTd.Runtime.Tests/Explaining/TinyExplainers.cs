using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Explaining;

/// <summary>One explainer per interpreter over the tiny package, shared by a test class (sessions are costly to open).</summary>
public sealed class TinyExplainers : IDisposable
{
    public TinyExplainers()
    {
        Package = ModelPackage.Load(TestData.TinyPackage);
        LmacTd = new Explainer(Package, TestData.Options(InterpreterKind.LmacTd));
        LmacStft = new Explainer(Package, TestData.Options(InterpreterKind.LmacStft));
    }

    public ModelPackage Package { get; }

    public Explainer LmacTd { get; }

    public Explainer LmacStft { get; }

    public Explainer Of(InterpreterKind kind) => kind == InterpreterKind.LmacTd ? LmacTd : LmacStft;

    public void Dispose()
    {
        LmacTd.Dispose();
        LmacStft.Dispose();
    }
}
