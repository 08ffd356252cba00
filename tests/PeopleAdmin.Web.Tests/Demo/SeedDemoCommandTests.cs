using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Web.Features.Demo;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Demo;

public sealed class SeedDemoCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SeedDemoWritesPeopleInChunksOfTheGivenSizeAndReportsEachOnceCommitted()
    {
        await using var factory = new PeopleAdminFactory();

        var (exitCode, output, error) = await RunAsync(factory, "seed-demo", "--people", "7", "--chunk", "3");

        exitCode.ShouldBe(0, error);
        output.Split('\n').Where(l => l.StartsWith("committed", StringComparison.Ordinal)).Select(l => l.Split(',')[0])
            .ShouldBe(["committed 3 people", "committed 6 people", "committed 7 people"]);
        output.ShouldContain("Done: 7 people");
    }

    [Fact]
    public async Task SeedDemoWithoutAChunkSizeWritesBatchesOfTwentyThousand()
    {
        // Arrange
        await using var factory = new PeopleAdminFactory();

        // Act
        var (exitCode, output, error) = await RunAsync(factory, "seed-demo", "--people", "20001");

        // Assert
        exitCode.ShouldBe(0, error);
        output.Split('\n').Where(l => l.StartsWith("committed", StringComparison.Ordinal)).Select(l => l.Split(" people")[0])
            .ShouldBe(["committed 20,000", "committed 20,001"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    [InlineData("many")]
    public async Task SeedDemoRefusesAChunkSizeOutOfRangeAndSaysWhy(string chunk)
    {
        await using var factory = new PeopleAdminFactory();

        var (exitCode, output, error) = await RunAsync(factory, "seed-demo", "--people", "7", "--chunk", chunk);

        exitCode.ShouldBe(2);
        error.ShouldContain("--chunk");
        output.ShouldNotContain("committed");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(PeopleAdminFactory factory, params string[] args)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var command = ActivatorUtilities.CreateInstance<SeedDemoCommand>(scope.ServiceProvider);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await command.RunAsync(args, output, error, Ct);
        return (exitCode, output.ToString(), error.ToString());
    }
}
