using Microsoft.Extensions.Configuration;

namespace PeopleAdmin.Core.Data;

/// <summary>Where PeopleAdmin keeps its data: the SQLite file and the Data Protection key ring, outside the source tree.</summary>
public static class DataPaths
{
    public const string DataDirectoryKey = "PeopleAdmin:DataDirectory";
    public const string ConnectionStringName = "PeopleAdmin";

    /// <summary><c>PeopleAdmin:DataDirectory</c>, else <c>~/.local/share/PeopleAdmin</c>.</summary>
    public static string DataDirectory(IConfiguration configuration)
    {
        var configured = configuration[DataDirectoryKey];
        var directory = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "PeopleAdmin")
            : Path.GetFullPath(configured);
        PrivateFiles.CreateFolder(directory);
        return directory;
    }

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } configured
            ? configured
            : $"Data Source={Path.Combine(DataDirectory(configuration), "peopleadmin.db")}";
}
