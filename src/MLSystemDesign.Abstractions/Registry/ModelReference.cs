using System.Globalization;

namespace MLSystemDesign.Registry;

/// <summary>
/// Points at a model version: <c>name</c> (the newest active version), <c>name:3</c> (version 3) or
/// <c>name@champion</c> (the version an alias points at).
/// </summary>
public readonly record struct ModelReference
{
    private ModelReference(string name, int? version, string? alias)
    {
        Name = name;
        Version = version;
        Alias = alias;
    }

    /// <summary>Gets the model name.</summary>
    public string Name { get; }

    /// <summary>Gets the version number, when the reference names one.</summary>
    public int? Version { get; }

    /// <summary>Gets the alias, when the reference names one.</summary>
    public string? Alias { get; }

    /// <summary>Gets whether the reference means the newest active version.</summary>
    public bool IsLatest => Version is null && Alias is null;

    /// <summary>Points at the newest active version of a model.</summary>
    /// <param name="name">The model name.</param>
    /// <returns>The reference.</returns>
    public static ModelReference Latest(string name)
    {
        RegistryNames.ValidateModelName(name);
        return new ModelReference(name, null, null);
    }

    /// <summary>Points at one version.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number, from 1.</param>
    /// <returns>The reference.</returns>
    public static ModelReference ForVersion(string name, int version)
    {
        RegistryNames.ValidateModelName(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return new ModelReference(name, version, null);
    }

    /// <summary>Points at the version an alias names.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="alias">The alias.</param>
    /// <returns>The reference.</returns>
    public static ModelReference ForAlias(string name, string alias)
    {
        RegistryNames.ValidateModelName(name);
        RegistryNames.ValidateAlias(alias);
        return new ModelReference(name, null, alias);
    }

    /// <summary>Parses <c>name</c>, <c>name:3</c> or <c>name@alias</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="ArgumentException">The text is not a valid reference; the message says why.</exception>
    public static ModelReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return ForAlias(text[..at], text[(at + 1)..]);
        }

        var colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            var number = text[(colon + 1)..];
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
            {
                throw new ArgumentException($"'{text}' is not a model reference: the version after ':' must be a whole number from 1; got '{number}'.", nameof(text));
            }

            return ForVersion(text[..colon], version);
        }

        return Latest(text);
    }

    /// <inheritdoc />
    public override string ToString() =>
        Alias is not null ? $"{Name}@{Alias}" : Version is { } v ? $"{Name}:{v.ToString(CultureInfo.InvariantCulture)}" : Name;
}
