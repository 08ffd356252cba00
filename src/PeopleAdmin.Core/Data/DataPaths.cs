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

    /// <summary>
    /// <c>ConnectionStrings:PeopleAdmin</c>, else (SQLite only) the database file in the data folder. PostgreSQL has no
    /// default: a start without its connection string says so.
    /// </summary>
    public static string ConnectionString(IConfiguration configuration, DatabaseOptions options)
    {
        if (configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } configured)
        {
            return configured;
        }

        return options.IsPostgres()
            ? throw new InvalidOperationException(
                "PeopleAdmin__Database__Provider is Postgres but ConnectionStrings__PeopleAdmin is not set. " +
                "Set it to an Npgsql connection string, such as 'Host=db.example.com;Database=peopleadmin;Username=peopleadmin;Password=…'.")
            : $"Data Source={Path.Combine(DataDirectory(configuration), "peopleadmin.db")}";
    }
}
