using System.CommandLine;
using System.CommandLine.Parsing;

namespace LmacTd.Cli.Commands;

/// <summary>
/// The command line's own checks, so that every option error names the option and what it got
/// (<c>--threads must be &gt;= 0, got -3</c>), and an unknown option is never taken for a file name.
/// </summary>
internal static class OptionRules
{
    /// <summary>Accepts only <paramref name="values"/> (case-sensitive), with an error naming the option.</summary>
    public static T Choice<T>(this T option, params string[] values) where T : Option
    {
        option.HelpName = string.Join('|', values);
        option.Validators.Add(r =>
        {
            foreach (var t in r.Tokens)
            {
                if (!values.Contains(t.Value, StringComparer.Ordinal))
                    r.AddError($"{option.Name} must be {Alternatives(values)}, got '{t.Value}'");
            }
        });
        return option;
    }

    /// <summary>Refuses a negative value, naming the option and the value.</summary>
    public static Option<int> NonNegative(this Option<int> option)
    {
        option.Validators.Add(r =>
        {
            // Only a value that parsed as a number is checked here; the parser already names a non-number.
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) && v < 0)
                r.AddError($"{option.Name} must be >= 0, got {v}");
        });
        return option;
    }

    /// <summary>
    /// The parser takes any token it does not know as a value of a many-valued argument (<c>--ouput</c> becomes a
    /// file name). This finds such tokens among <paramref name="argument"/>'s values, except after <c>--</c>, which
    /// keeps a file literally named <c>-x.wav</c> possible. Returns one error line per unknown option.
    /// </summary>
    public static IReadOnlyList<string> UnknownOptions(ParseResult parse, Argument argument)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var bound = parse.GetResult(argument)?.Tokens ?? [];
        int doubleDash = -1;
        for (int i = 0; i < parse.Tokens.Count; i++)
        {
            if (parse.Tokens[i].Type == TokenType.DoubleDash) { doubleDash = i; break; }
        }

        var errors = new List<string>();
        var known = parse.CommandResult.Command.Options.SelectMany(o => o.Aliases.Prepend(o.Name))
            .Concat(parse.RootCommandResult.Command.Options.Where(o => o.Recursive).SelectMany(o => o.Aliases.Prepend(o.Name)))
            .ToList();
        foreach (var token in bound)
        {
            if (token.Value.Length < 2 || token.Value[0] != '-') continue;
            int at = IndexOf(parse.Tokens, token);
            if (doubleDash >= 0 && at > doubleDash) continue;
            var near = known.Where(k => k.StartsWith("--", StringComparison.Ordinal))
                .Select(k => (Name: k, Distance: Distance(k, token.Value)))
                .Where(k => k.Distance <= 2)
                .OrderBy(k => k.Distance)
                .Select(k => k.Name)
                .FirstOrDefault();
            errors.Add($"unknown option '{token.Value}'{(near is null ? "" : $" (did you mean {near}?)")}; " +
                       "a file whose name starts with '-' goes after '--'");
        }

        return errors;
    }

    private static int IndexOf(IReadOnlyList<Token> tokens, Token token)
    {
        for (int i = 0; i < tokens.Count; i++)
        {
            if (ReferenceEquals(tokens[i], token)) return i;
        }

        return -1;
    }

    private static string Alternatives(string[] values) =>
        values.Length == 1 ? values[0] : string.Join(", ", values[..^1]) + " or " + values[^1];

    // Edit distance for the "did you mean" hint; a few dozen short strings, so the plain quadratic form is enough.
    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
