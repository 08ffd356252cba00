using System.Text.Json;

namespace PeopleAdmin.Web.Tests.Hosting;

/// <summary>The runtime settings the app's build gives the process, read from the runtimeconfig.json it starts with.</summary>
public sealed class RuntimeConfigurationTests
{
    [Fact]
    public void TheAppRunsOnTheWorkstationGarbageCollectorWithBackgroundCollections()
    {
        // Arrange
        var path = Path.Combine(AppContext.BaseDirectory, "PeopleAdmin.Web.runtimeconfig.json");

        // Act
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        // Assert
        properties.GetProperty("System.GC.Server").GetBoolean().ShouldBeFalse();
        var background = !properties.TryGetProperty("System.GC.Concurrent", out var concurrent) || concurrent.GetBoolean();
        background.ShouldBeTrue("background collections keep the pauses short while pages are served");
    }
}
