using System.IO.Compression;

namespace MLSystemDesign.MLNet.Models;

/// <summary>
/// Re-packs a zip so that the same entries give the same bytes: entries in ordinal name order, every timestamp set to
/// <see cref="Timestamp"/>, one compression level, no extra fields or comments. ML.NET stamps each entry of a saved
/// model with the time of saving, so two saves of one model differ in their bytes (and SHA-256) without this.
/// </summary>
internal static class DeterministicZip
{
    /// <summary>The timestamp of every entry: 1980-01-01 00:00, the earliest a zip's DOS date can hold.</summary>
    public static readonly DateTimeOffset Timestamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes <paramref name="source"/>'s entries to <paramref name="destination"/> as a deterministic zip.</summary>
    public static async ValueTask RepackAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        source.Position = 0;
        using var repacked = new MemoryStream();
        using (var input = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true))
        using (var output = new ZipArchive(repacked, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var copy = output.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = Timestamp;
                using var from = entry.Open();
                using var to = copy.Open();
                await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
            }
        }

        repacked.Position = 0;
        await repacked.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }
}
