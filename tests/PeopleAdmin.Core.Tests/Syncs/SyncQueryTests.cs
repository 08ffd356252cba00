using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Syncs;

namespace PeopleAdmin.Core.Tests.Syncs;

/// <summary>The query rules that need no source: Customer.io's bare <c>*</c>, placeholders, and the columns' rules.</summary>
public sealed class SyncQueryTests
{
    [Theory]
    [InlineData("select * from people")]
    [InlineData("  SELECT DISTINCT * FROM people where updated_at > {{last_sync_time}}")]
    [InlineData("select *")]
    [InlineData("select\n*\nfrom people;")]
    public void ABareStarIsRefusedWithItsOwnMessage(string text)
    {
        SyncQuery.Parse(text, out var problem);

        problem.ShouldStartWith("query selects * : name the columns instead");
    }

    [Theory]
    [InlineData("select id, count(*) as events from events group by id")]
    [InlineData("select p.*, 1 as x from people p")]
    [InlineData("select id, email from people where note <> '*'")]
    public void AStarThatIsNotTheWholeSelectListIsLeftToTheSource(string text)
    {
        SyncQuery.Parse(text, out var problem);

        problem.ShouldBeNull();
    }

    [Fact]
    public void AnUnknownPlaceholderIsRefusedNamingIt()
    {
        SyncQuery.Parse("select id from people where updated_at > {{last_run}}", out var problem);

        problem.ShouldBe("query uses the placeholder {{last_run}}; the only placeholder is {{last_sync_time}}");
    }

    [Fact]
    public void TheLastSyncTimeBecomesAParameterNeverText()
    {
        var query = SyncQuery.Parse("select id from people where updated_at > {{ last_sync_time }} or created_at > {{last_sync_time}}", out var problem);

        problem.ShouldBeNull();
        query.UsesLastSyncTime.ShouldBeTrue();
        query.Sql.ShouldBe("select id from people where updated_at > @last_sync_time or created_at > @last_sync_time");
    }

    [Fact]
    public void AnEmptyQueryIsRefused()
    {
        SyncQuery.Parse("  ", out var problem);

        problem.ShouldBe("query is required: a SELECT that names its columns, one of them id or email");
    }

    [Fact]
    public void TheIdentifierColumnMustBeSelected()
    {
        var problem = SyncColumns.Check(["user_id", "email"], IdentifierKind.Id);

        problem.ShouldBe("query selects no column named id, the sync's identifier: add it, or name one that way (select user_id as id, …)");
    }

    [Fact]
    public void AtMostFiftyColumnsAreSelected()
    {
        var problem = SyncColumns.Check(["id", .. Enumerable.Range(1, 50).Select(i => "c" + i)], IdentifierKind.Id);

        problem.ShouldBe("query selects 51 columns; the limit is 50");
    }

    [Fact]
    public void TwoColumnsOfOneNameAreRefused()
    {
        var problem = SyncColumns.Check(["id", "plan", "PLAN"], IdentifierKind.Id);

        problem.ShouldBe("query selects two columns named plan: give one of them another name with AS");
    }

    [Fact]
    public void EachColumnIsDescribedByWhatItBecomes()
    {
        var mapping = SyncColumns.Describe(["EMAIL", "id", "plan"], IdentifierKind.Email);

        mapping.ShouldBe(["email (identifier)", "id", "attribute plan"]);
    }
}
