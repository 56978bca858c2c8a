namespace MLSystemDesign.Data;

/// <summary>Opens sources of one file format. Register more through dependency injection to add formats.</summary>
public interface IDataSourceProvider
{
    /// <summary>Gets the source kind this provider opens, e.g. <c>csv</c>.</summary>
    string Kind { get; }

    /// <summary>Gets whether this provider reads a location (usually judged by its extension).</summary>
    /// <param name="location">A file path or URI.</param>
    /// <returns><see langword="true"/> when <see cref="Open{T}"/> accepts it.</returns>
    bool CanOpen(string location);

    /// <summary>Creates a source over a location with the conventional record map.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="location">The location.</param>
    /// <param name="onBadRecord">The bad-record policy.</param>
    /// <returns>The source.</returns>
    IDataSource<T> Open<T>(string location, BadRecordPolicy onBadRecord = BadRecordPolicy.Fail);
}

/// <summary>Opens a data source by location, choosing among the registered <see cref="IDataSourceProvider"/>s.</summary>
public interface IDataSourceFactory
{
    /// <summary>Gets the kinds of the registered providers.</summary>
    IReadOnlyCollection<string> Kinds { get; }

    /// <summary>Opens a source with the first provider that reads the location.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="location">The location.</param>
    /// <param name="onBadRecord">The bad-record policy.</param>
    /// <returns>The source.</returns>
    /// <exception cref="NotSupportedException">No provider reads the location; the message lists the kinds there are.</exception>
    IDataSource<T> Open<T>(string location, BadRecordPolicy onBadRecord = BadRecordPolicy.Fail);
}
