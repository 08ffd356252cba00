using System.Text.Json;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Snippet;

/// <summary>The browser snippet as a third-party script: ES5 and small (tests/PeopleAdmin.Snippet/measure.js, acorn and terser).</summary>
public sealed class SnippetScriptTests
{
    private const int GzippedLimit = 8 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TrackJsIsEs5AndUnder8KilobytesMinifiedAndGzipped()
    {
        // Arrange
        var folder = await NodeScripts.FolderAsync("PeopleAdmin.Snippet", "terser", Ct);

        // Act
        var (exitCode, output) = await NodeScripts.RunAsync("node", ["measure.js"], folder, Ct);

        // Assert
        exitCode.ShouldBe(0, output);
        var sizes = JsonDocument.Parse(output).RootElement;
        sizes.GetProperty("gzipped").GetInt32().ShouldBeLessThan(GzippedLimit, output);
        sizes.GetProperty("minified").GetInt32().ShouldBeLessThan(sizes.GetProperty("source").GetInt32());
    }

    [Fact]
    public async Task ScriptSyntaxNewerThanEs5IsCaught()
    {
        // Arrange: the check itself must be able to fail.
        var folder = await NodeScripts.FolderAsync("PeopleAdmin.Snippet", "terser", Ct);
        var file = Path.Combine(Path.GetTempPath(), $"track-es2015-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(file, "const answer = () => 42;", Ct);

        try
        {
            // Act
            var (exitCode, output) = await NodeScripts.RunAsync("node", ["measure.js", file], folder, Ct);

            // Assert
            exitCode.ShouldBe(1);
            output.ShouldContain("is not ES5");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
