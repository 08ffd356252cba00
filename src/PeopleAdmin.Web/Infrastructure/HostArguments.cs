namespace PeopleAdmin.Web.Infrastructure;

/// <summary>
/// The arguments the host is built with: the command line, and configuration files read once, at start. By default
/// ASP.NET Core watches the content root (the working directory) and every folder under it for changes of
/// <c>appsettings.json</c>, so that a data folder inside it wakes the watcher at every write of the database: the
/// 1,000,000-person <c>seed-demo</c> took 98 s there instead of 75 (docs/performance.md, #21).
/// </summary>
internal static class HostArguments
{
    public const string ReadConfigurationOnce = "--hostBuilder:reloadConfigOnChange=false";

    public static string[] For(string[] args) => [.. args, ReadConfigurationOnce];
}
