using System.Globalization;
using System.Text.Json;

namespace MLSystemDesign.Testing.Oracles;

/// <summary>
/// Rebuilds, bit for bit, the samples the Python fixture scripts describe by a spec (seed, n, kind, scale, shift,
/// levels, p): SplitMix64 and exactly-rounded arithmetic only, as each script's <c>sample()</c>.
/// </summary>
public static class OracleSamples
{
    /// <summary>The values a spec describes: bell (sum of four uniforms − 2), uniform, int (⌊u·levels⌋) or bernoulli (u &lt; p), then ·scale + shift.</summary>
    /// <param name="spec">The spec object.</param>
    /// <returns>The values.</returns>
    public static double[] Sample(JsonElement spec)
    {
        var state = spec.GetProperty("seed").GetUInt64();
        var n = spec.GetProperty("n").GetInt32();
        var kind = spec.GetProperty("kind").GetString();
        var scale = spec.GetProperty("scale").GetDouble();
        var shift = spec.GetProperty("shift").GetDouble();
        var levels = spec.GetProperty("levels").GetInt32();
        var p = spec.TryGetProperty("p", out var pe) ? pe.GetDouble() : 0.5;
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            if (kind == "bell")
            {
                var s = 0.0;
                for (var k = 0; k < 4; k++)
                {
                    s += Uniform(ref state);
                }

                result[i] = (s - 2.0) * scale + shift;
                continue;
            }

            var u = Uniform(ref state);
            result[i] = kind switch
            {
                "uniform" => u * scale + shift,
                "int" => Math.Floor(u * levels) * scale + shift,
                "bernoulli" => (u < p ? 1.0 : 0.0) * scale + shift,
                _ => throw new ArgumentException($"Unknown sample kind '{kind}'."),
            };
        }

        return result;
    }

    /// <summary>A number stored by a fixture: JSON numbers, or "NaN", "Infinity" and "-Infinity" as strings.</summary>
    /// <param name="value">The element.</param>
    /// <returns>The number.</returns>
    public static double Number(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture)
        : value.GetDouble();

    /// <summary>Compares a value with the oracle's: equal (NaN equal to NaN, same infinities), both below 1e-300, or within a relative error.</summary>
    /// <param name="expected">The oracle's value.</param>
    /// <param name="actual">The computed value.</param>
    /// <param name="what">What the value is, for the message.</param>
    /// <param name="relative">The relative tolerance. Default 1e-9.</param>
    /// <returns><see langword="null"/> when close; otherwise what differs.</returns>
    public static string? Compare(double expected, double actual, string what, double relative = 1e-9)
    {
        if (expected.Equals(actual) || (Math.Abs(expected) < 1e-300 && Math.Abs(actual) < 1e-300))
        {
            return null;
        }

        var error = Math.Abs(actual - expected) / Math.Abs(expected);
        return error <= relative ? null : string.Create(CultureInfo.InvariantCulture, $"{what}: expected {expected:R}, got {actual:R} (relative error {error:E2}).");
    }

    /// <summary>A uniform in [0, 1) from the 53 high bits of the next SplitMix64 output.</summary>
    /// <param name="state">The generator's state.</param>
    /// <returns>The uniform.</returns>
    public static double Uniform(ref ulong state) => (Next(ref state) >> 11) * (1.0 / (1UL << 53));

    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
