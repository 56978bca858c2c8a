namespace MLSystemDesign.Testing;

/// <summary>A temporary folder for files a test writes and reads back by path; removed at dispose.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates the folder under the system's temporary directory.</summary>
    public TempFolder() => Path = Directory.CreateTempSubdirectory("mlsd-test-").FullName;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The full path of a file in the folder (not created).</summary>
    /// <param name="name">The file name.</param>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a text file (UTF-8, no BOM) and returns its full path.</summary>
    /// <param name="name">The file name.</param>
    /// <param name="content">The text.</param>
    public string Write(string name, string content)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes a binary file and returns its full path.</summary>
    /// <param name="name">The file name.</param>
    /// <param name="content">The bytes.</param>
    public string Write(string name, byte[] content)
    {
        var path = File(name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the OS clears the temporary directory.
        }
    }
}
