namespace LmacTd.Runtime.Packages;

/// <summary>One interpreter's manifest entry as its kind read and checked it.</summary>
/// <param name="Key">The manifest key (<c>interpreters.KEY</c>).</param>
/// <param name="Graph">The graph it runs, or null for a kind that needs none.</param>
internal abstract record InterpreterSpec(string Key, GraphSpec? Graph);
