using Microsoft.Extensions.Logging.Abstractions;
using PeopleAdmin.Web.Features.Operators;

namespace PeopleAdmin.Web.Tests.Team;

public sealed class OperatorSessionsTests
{
    [Fact]
    public async Task ACircuitThatFailsToHearOfAChangeNeitherFailsTheChangeNorKeepsTheOthersFromHearingIt()
    {
        var sessions = new OperatorSessions(NullLogger<OperatorSessions>.Instance);
        var told = new List<string>();
        sessions.Changed += _ => throw new InvalidOperationException("the circuit is gone");
        sessions.Changed += id =>
        {
            told.Add(id);
            return Task.CompletedTask;
        };

        await sessions.NotifyAsync("operator-1");

        told.ShouldBe(["operator-1"]);
    }
}
