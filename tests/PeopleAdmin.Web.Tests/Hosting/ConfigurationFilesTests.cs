using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Hosting;

public sealed class ConfigurationFilesTests
{
    [Fact]
    public async Task TheAppReadsItsConfigurationFilesOnceAndWatchesNoFolder()
    {
        // Arrange
        await using var factory = new PeopleAdminFactory();

        // Act
        var root = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();
        var files = root.Providers.OfType<FileConfigurationProvider>().ToList();

        // Assert: a watcher of the working directory would wake at every write of a data folder inside it.
        files.ShouldNotBeEmpty();
        files.Where(f => f.Source.ReloadOnChange).Select(f => f.Source.Path).ShouldBeEmpty();
    }
}
