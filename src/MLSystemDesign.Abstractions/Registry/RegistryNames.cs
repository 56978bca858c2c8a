namespace MLSystemDesign.Registry;

/// <summary>
/// The naming rules of the registry. Names never become paths or SQL text (artifacts are stored by content hash and
/// every value is bound as a parameter), but they are still kept to a safe character set so that they read the same
/// in a URL, a file name, a shell and a log line.
/// </summary>
public static class RegistryNames
{
    /// <summary>The longest model name: 128 characters.</summary>
    public const int MaxModelNameLength = 128;

    /// <summary>The longest alias: 64 characters.</summary>
    public const int MaxAliasLength = 64;

    /// <summary>The longest tag key, metric name, parameter name or artifact name: 128 characters.</summary>
    public const int MaxKeyLength = 128;

    /// <summary>The longest tag or parameter value: 8,000 characters.</summary>
    public const int MaxValueLength = 8000;

    /// <summary>The longest description, actor or reason: 65,536 characters.</summary>
    public const int MaxTextLength = 65536;

    /// <summary>The most metrics, parameters, tags, artifacts or lineage data sets one version holds: 1,000 of each.</summary>
    public const int MaxEntries = 1000;

    /// <summary>Checks that a version does not hold more than <see cref="MaxEntries"/> of something.</summary>
    /// <param name="kind">What is counted, in the plural, for the message (e.g. "metrics").</param>
    /// <param name="count">How many there are.</param>
    /// <param name="parameterName">The argument being checked, for the exception.</param>
    /// <exception cref="ArgumentException">There are more than <see cref="MaxEntries"/>.</exception>
    public static void ValidateCount(string kind, int count, string parameterName = "version")
    {
        if (count > MaxEntries)
        {
            throw new ArgumentException($"The version has {count} {kind}; at most {MaxEntries} are allowed.", parameterName);
        }
    }

    /// <summary>Checks a model name: letters, digits, '.', '_' and '-', starting with a letter or digit, no "..".</summary>
    /// <param name="name">The name.</param>
    /// <param name="parameterName">The argument being checked, for the exception.</param>
    /// <exception cref="ArgumentException">The name breaks a rule; the message says which.</exception>
    public static void ValidateModelName(string? name, string parameterName = "name") =>
        Validate("Model name", name, MaxModelNameLength, allowDot: true, allowSlash: false, parameterName);

    /// <summary>
    /// Checks an alias: letters, digits, '_' and '-', starting with a letter. <c>latest</c> and <c>v</c> followed by
    /// digits are reserved (they would read as a version).
    /// </summary>
    /// <param name="alias">The alias.</param>
    /// <param name="parameterName">The argument being checked, for the exception.</param>
    /// <exception cref="ArgumentException">The alias breaks a rule; the message says which.</exception>
    public static void ValidateAlias(string? alias, string parameterName = "alias")
    {
        Validate("Alias", alias, MaxAliasLength, allowDot: false, allowSlash: false, parameterName);
        if (!char.IsAsciiLetter(alias![0]))
        {
            throw new ArgumentException($"Alias '{alias}' is not allowed: an alias starts with a letter.", parameterName);
        }

        if (alias.Equals("latest", StringComparison.OrdinalIgnoreCase) || (alias.Length > 1 && (alias[0] is 'v' or 'V') && alias.AsSpan(1).ContainsAnyExceptInRange('0', '9') is false))
        {
            throw new ArgumentException($"Alias '{alias}' is reserved: 'latest' and 'v<digits>' would read as a version.", parameterName);
        }
    }

    /// <summary>Checks a tag key, metric name, parameter name or artifact name: letters, digits, '.', '_', '-', '/' and ':'.</summary>
    /// <param name="kind">What the key names, for the message (e.g. "Tag key").</param>
    /// <param name="key">The key.</param>
    /// <param name="parameterName">The argument being checked, for the exception.</param>
    /// <exception cref="ArgumentException">The key breaks a rule; the message says which.</exception>
    public static void ValidateKey(string kind, string? key, string parameterName = "key") =>
        Validate(kind, key, MaxKeyLength, allowDot: true, allowSlash: true, parameterName);

    /// <summary>Checks a tag or parameter value: at most <see cref="MaxValueLength"/> characters, no control characters other than tab and newlines.</summary>
    /// <param name="kind">What the value is, for the message.</param>
    /// <param name="value">The value.</param>
    /// <param name="parameterName">The argument being checked, for the exception.</param>
    /// <exception cref="ArgumentException">The value breaks a rule.</exception>
    public static void ValidateValue(string kind, string? value, string parameterName = "value") =>
        ValidateText(kind, value, MaxValueLength, parameterName);

    /// <summary>Checks free text (a description, actor or reason): at most <paramref name="maxLength"/> characters, no control characters other than tab and newlines.</summary>
    /// <param name="kind">What the text is, for the message.</param>
    /// <param name="text">The text; <see langword="null"/> is allowed.</param>
    /// <param name="maxLength">The longest allowed text.</param>
    /// <param name="parameterName">The argument being checked, for the exception.</param>
    /// <exception cref="ArgumentException">The text breaks a rule.</exception>
    public static void ValidateText(string kind, string? text, int maxLength = MaxTextLength, string parameterName = "text")
    {
        if (text is null)
        {
            return;
        }

        if (text.Length > maxLength)
        {
            throw new ArgumentException($"{kind} is {text.Length} characters long; at most {maxLength} are allowed.", parameterName);
        }

        var bad = text.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        while (bad >= 0 && text[bad] is '\t' or '\n' or '\r')
        {
            var next = text.AsSpan(bad + 1).IndexOfAnyInRange('\0', '\u001f');
            bad = next < 0 ? -1 : bad + 1 + next;
        }

        if (bad >= 0)
        {
            throw new ArgumentException($"{kind} holds the control character U+{(int)text[bad]:X4} at position {bad}; only tab and line breaks are allowed.", parameterName);
        }
    }

    private static void Validate(string kind, string? name, int maxLength, bool allowDot, bool allowSlash, string parameterName)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"{kind} is empty.", parameterName);
        }

        if (name.Length > maxLength)
        {
            throw new ArgumentException($"{kind} '{Shorten(name)}' is {name.Length} characters long; at most {maxLength} are allowed.", parameterName);
        }

        if (!char.IsAsciiLetterOrDigit(name[0]))
        {
            throw new ArgumentException($"{kind} '{Shorten(name)}' is not allowed: it must start with a letter or digit.", parameterName);
        }

        foreach (var c in name)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || c is '_' or '-' || (allowDot && c == '.') || (allowSlash && c is '/' or ':');
            if (!ok)
            {
                var allowed = allowSlash ? "letters, digits, '.', '_', '-', '/' and ':'" : allowDot ? "letters, digits, '.', '_' and '-'" : "letters, digits, '_' and '-'";
                throw new ArgumentException($"{kind} '{Shorten(name)}' is not allowed: '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString())}' is outside the safe set ({allowed}).", parameterName);
            }
        }

        if (name.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{kind} '{Shorten(name)}' is not allowed: it contains '..'.", parameterName);
        }
    }

    private static string Shorten(string name) => name.Length <= 40 ? name : string.Concat(name.AsSpan(0, 37), "...");
}
