using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>Attribute filters answer exactly the matching people of their workspace, a keyset page at a time.</summary>
public sealed class FilterPeopleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<AttributeOperator, string, string?, string[]> Filters => new()
    {
        { AttributeOperator.Equals, "plan", "pro", ["p2", "p4"] },
        { AttributeOperator.NotEquals, "plan", "pro", ["p1", "p3", "p5", "p6"] },
        { AttributeOperator.Contains, "company", "ACME", ["p1", "p5"] },
        { AttributeOperator.Exists, "plan", null, ["p1", "p2", "p3", "p4", "p5"] },
        { AttributeOperator.Exists, "trial", null, ["p6"] },
        { AttributeOperator.Exists, "tags", null, ["p2", "p4"] },
        { AttributeOperator.Exists, "address", null, ["p3"] },
        { AttributeOperator.Greater, "age", "40", ["p3", "p4"] },
        { AttributeOperator.Less, "age", "40", ["p1", "p2"] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task AFilterAnswersTheMatchingPeopleOfItsWorkspaceInKeyOrderTwoAtATime(
        AttributeOperator op, string name, string? value, string[] expected)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        string[] people =
        [
            """{"plan":"free","company":"Acme Corp","age":30}""",
            """{"plan":"pro","company":"Initech","age":25,"tags":["a","b"]}""",
            """{"plan":"basic","company":"Globex","age":50,"address":{"city":"Paris"}}""",
            """{"plan":"pro","age":45,"tags":[]}""",
            """{"plan":"free","company":"acme","age":"old"}""",
            """{"trial":true}""",
        ];
        for (var i = 0; i < people.Length; i++)
        {
            await harness.IdentifyAsync($"p{i + 1}", people[i], Ct);
        }

        // Another workspace in the same database whose people match every filter: none of them may show.
        var otherWorkspace = new OperationContext(await harness.Database.AddWorkspaceAsync(Ct), Sources.Api);
        await harness.Service.ExecuteAsync(otherWorkspace, new IdentifyOperation(PersonReference.ForId("q1"), PeopleHarness.Body("""{"plan":"pro","company":"acme","age":41}""")), Ct);
        await harness.Service.ExecuteAsync(otherWorkspace, new IdentifyOperation(PersonReference.ForId("q2"), PeopleHarness.Body("""{"plan":"free","company":"acme","age":1,"trial":false}""")), Ct);

        var filter = new AttributeFilter(name, op, value);
        var found = new List<string>();
        long? after = null;
        var pages = 0;
        do
        {
            var page = await harness.Service.FilterPeopleAsync(harness.WorkspaceId, filter, after, 2, Ct);
            found.AddRange(page.People.Select(p => p.Id!));
            after = page.After;
            pages++;
        }
        while (after is not null && pages < 10);

        found.ShouldBe(expected);
    }
}
