namespace PeopleAdmin.Core.Data;

/// <summary>
/// The data folder holds the database and the secrets that guard the API keys: on Unix, folders PeopleAdmin creates
/// are 0700 and its files 0600, so that no other user of the machine can read them. (On Windows the folder inherits
/// the user profile's access rules.)
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder (and its parents) 0700; a folder that exists keeps its mode, since it may be shared.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, FolderMode);
        }
    }

    /// <summary>Creates an empty file 0600 unless it exists; makes an existing one 0600.</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using var _ = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }
        catch (IOException) when (File.Exists(path))
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    /// <summary>Makes a file 0600 when it exists (SQLite's -wal and -shm files, which it creates itself).</summary>
    public static void RestrictIfPresent(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    /// <summary>
    /// Writes <paramref name="contents"/> to a new file 0600 only if none exists yet, durably (flushed to the disk
    /// before it takes its name, so a crash never leaves a half-written file under it). Answers false when the file
    /// existed or another process made it first; the caller then reads that one.
    /// </summary>
    public static bool TryCreateDurably(string path, ReadOnlySpan<byte> contents)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("n") + ".tmp";
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(contents);
            stream.Flush(flushToDisk: true);
        }

        try
        {
            // Without overwrite, the move fails when the name is taken: the first writer's key wins.
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }
}
