using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Syncs;
using PeopleAdmin.Tests.Servers;

namespace PeopleAdmin.Core.Tests.Syncs;

/// <summary>Saving a sync checks Customer.io's query rules, each with its own message; saving a connection keeps its password secret.</summary>
public sealed class SyncSaveTests(SyncSources sources)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SyncInput Input(long connectionId, string query, IdentifierKind identifier = IdentifierKind.Id) =>
        new("People", connectionId, query, 60, identifier, SyncDataToProcess.All, SyncEmptyValues.Ignore, null, Paused: true);

    public static TheoryData<string, string> BrokenRules => new()
    {
        { "select * from pg_class", "query selects * : name the columns instead" },
        { "select relname from pg_class", "query selects no column named id, the sync's identifier" },
        { "select 1 as id, " + string.Join(", ", Enumerable.Range(1, 50).Select(i => $"{i} as c{i}")), "query selects 51 columns; the limit is 50" },
        { "select 1 as id, 2 as ID", "query selects two columns named id" },
        { "select 1 as id where now() > {{since}}", "query uses the placeholder {{since}}" },
        { "select 1 as id; select 2 as id", "query: query holds more than one statement" },
        { "select id from no_such_table", "query: PostgreSQL: relation \"no_such_table\" does not exist" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task AQueryThatBreaksARuleIsRefusedNamingTheRule(string query, string message)
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var connection = await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct);

        var (sync, error) = await h.Syncs.SaveAsync(h.WorkspaceId, null, Input(connection, query), Ct);

        sync.ShouldBeNull();
        error!.Field.ShouldBe("query");
        error.Message.ShouldStartWith(message);
        (await h.Syncs.ListAsync(h.WorkspaceId, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AnAliasedIdentifierIsEnough()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var connection = await h.AddConnectionAsync(SyncSourceKind.MySql, Ct);

        var (sync, error) = await h.Syncs.SaveAsync(h.WorkspaceId, null, Input(connection, "select 'x@example.com' as Email, 'pro' as plan", IdentifierKind.Email), Ct);

        error.ShouldBeNull();
        sync!.Identifier.ShouldBe(IdentifierKind.Email);
    }

    [Fact]
    public async Task ASourceThatCannotBeReachedNamesTheConnectionsFailure()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var connection = await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct, password: "wrong");

        var (_, error) = await h.Syncs.SaveAsync(h.WorkspaceId, null, Input(connection, "select 1 as id"), Ct);

        error!.Field.ShouldBe("connection_id");
        error.Message.ShouldStartWith("authentication: PostgreSQL refused user peopleadmin");
    }

    [Fact]
    public async Task APreviewShowsTheFirstRowsAndWhatEachColumnBecomes()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var connection = await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct);

        var (preview, error) = await h.Syncs.PreviewAsync(h.WorkspaceId, connection,
            "select g::text as id, g * 2 as seats, timestamptz '2026-01-02 03:04:05+00' as since, 'x' as cio_id from generate_series(1, 100000000) g", IdentifierKind.Id, null, Ct);

        error.ShouldBeNull();
        preview!.Rows.Columns.ShouldBe(["id", "seats", "since", "cio_id"]);
        preview.Rows.Rows.Count.ShouldBe(SyncLimits.PreviewRows);
        preview.Rows.Rows[2].ShouldBe(["3", "6", "2026-01-02T03:04:05Z", "x"]);
        preview.Mapping.ShouldBe(["id (identifier)", "attribute seats", "attribute since", "ignored (cio_id is a reserved key)"]);
    }

    [Theory]
    [InlineData(SyncSourceKind.Postgres)]
    [InlineData(SyncSourceKind.MySql)]
    public async Task APreviewOfAnIncrementalQueryReadsAsTheFirstRunWould(SyncSourceKind kind)
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var connection = await h.AddConnectionAsync(kind, Ct);
        await sources.ExecuteAsync(kind, $"create table {h.Table} (id varchar(10), updated_at timestamp)");
        await sources.ExecuteAsync(kind, $"insert into {h.Table} values ('a', '2020-01-01 00:00:00')");

        var (preview, error) = await h.Syncs.PreviewAsync(h.WorkspaceId, connection, $"select id from {h.Table} where updated_at > {{{{last_sync_time}}}}", IdentifierKind.Id, null, Ct);

        error.ShouldBeNull();
        preview!.Rows.Rows.Single().ShouldBe(["a"]);
    }

    [Fact]
    public async Task AMySqlPreviewReadsOnlyTheLimit()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var connection = await h.AddConnectionAsync(SyncSourceKind.MySql, Ct);
        await sources.ExecuteAsync(SyncSourceKind.MySql, $"create table {h.Table} (id varchar(10))");
        await sources.ExecuteAsync(SyncSourceKind.MySql, $"insert into {h.Table} values ('a'), ('b'), ('c'), ('d'), ('e'), ('f'), ('g'), ('h'), ('i'), ('j'), ('k'), ('l')");

        var (preview, error) = await h.Syncs.PreviewAsync(h.WorkspaceId, connection, $"select id from {h.Table} order by id", IdentifierKind.Id, null, Ct);

        error.ShouldBeNull();
        preview!.Rows.Rows.Select(r => r[0]).ShouldBe(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
    }

    [Fact]
    public async Task AChangeKeepsTheLastSyncTimeUnlessAskedToResetIt()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var connection = await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct);
        var syncId = await h.AddSyncAsync(connection, "select 'a' as id", Ct);
        await h.RunAsync(syncId, Ct);

        var (kept, _) = await h.Syncs.SaveAsync(h.WorkspaceId, syncId, Input(connection, "select 'a' as id, 'x' as plan") with { Name = "Renamed" }, Ct);
        var (reset, _) = await h.Syncs.SaveAsync(h.WorkspaceId, syncId, Input(connection, "select 'a' as id") with { ResetLastSyncTime = true }, Ct);

        (kept!.Name, kept.LastSyncTime is not null).ShouldBe(("Renamed", true));
        reset!.LastSyncTime.ShouldBeNull();
    }

    [Fact]
    public async Task TheStoredPasswordIsEncryptedAndNeverShown()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);

        var connectionId = await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct);

        await using var db = await h.People.Database.Factory.CreateDbContextAsync(Ct);
        var stored = db.SyncConnections.Single(c => c.Id == connectionId);
        stored.ProtectedPassword.ShouldNotContain(sources.Password);
        typeof(SyncConnectionSummary).GetProperties().Select(p => p.Name).ShouldNotContain("Password");
        (await h.Connections.SettingsAsync(h.WorkspaceId, connectionId, Ct))!.Password.ShouldBe(sources.Password);
    }

    [Fact]
    public async Task AChangeWithoutAPasswordKeepsTheStoredOne()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var connectionId = await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct);
        var s = sources.Postgres();

        var (changed, error) = await h.Connections.SaveAsync(h.WorkspaceId, connectionId, new SyncConnectionInput("Warehouse", s.Kind, s.Host, s.Port, s.Database, s.User, null, s.SslMode), Ct);

        error.ShouldBeNull();
        changed!.Name.ShouldBe("Warehouse");
        (await h.Connections.TestAsync(h.WorkspaceId, connectionId, Ct))!.Failure.ShouldBeNull();
    }

    [Fact]
    public async Task TestConnectionIsLimitedPerWorkspace()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var connectionId = await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct);
        for (var i = 0; i < 3; i++)
        {
            (await h.Connections.TestAsync(h.WorkspaceId, connectionId, Ct))!.RateLimited.ShouldBeFalse();
        }

        var fourth = await h.Connections.TestAsync(h.WorkspaceId, connectionId, Ct);

        fourth!.RateLimited.ShouldBeTrue();
        fourth.RetryAfter!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task SavingASyncAndPreviewShareALimitPerWorkspaceAndTheOneOverItRunsNoQuery()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var connection = await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct);
        for (var i = 0; i < SyncHarness.QueriesPerMinute / 2; i++)
        {
            (await h.Syncs.PreviewAsync(h.WorkspaceId, connection, "select 'a' as id", IdentifierKind.Id, null, Ct)).Error.ShouldBeNull();
            (await h.Syncs.SaveAsync(h.WorkspaceId, null, Input(connection, "select 'a' as id") with { Name = $"Sync {i}" }, Ct)).Error.ShouldBeNull();
        }

        var (preview, previewError) = await h.Syncs.PreviewAsync(h.WorkspaceId, connection, "select 'a' as id", IdentifierKind.Id, null, Ct);
        var (sync, saveError) = await h.Syncs.SaveAsync(h.WorkspaceId, null, Input(connection, "select 'a' as id") with { Name = "One too many" }, Ct);

        (preview, sync).ShouldBe((null, null));
        foreach (var error in new[] { previewError!, saveError! })
        {
            (error.Kind, error.Field).ShouldBe((ErrorKind.RateLimited, "query"));
            error.RetryAfter!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
            error.Message.ShouldStartWith("saving a sync and preview run the query on the source database, a limited number of times a minute per workspace; try again in ");
        }

        (await h.Syncs.ListAsync(h.WorkspaceId, Ct)).Count.ShouldBe(SyncHarness.QueriesPerMinute / 2);
        (await h.Connections.TestAsync(h.WorkspaceId, connection, Ct))!.RateLimited.ShouldBeFalse();
    }

    [Fact]
    public async Task AConnectionThatSyncsUseCannotBeDeleted()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var connectionId = await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct);
        await h.AddSyncAsync(connectionId, "select 'a' as id", Ct);

        var error = await h.Connections.DeleteAsync(h.WorkspaceId, connectionId, Ct);

        error!.Kind.ShouldBe(ErrorKind.Conflict);
        error.Message.ShouldStartWith("syncs use this connection");
    }

    [Theory]
    [InlineData("host", "db.example.com/x", "host must be a host name or an IP address")]
    [InlineData("port", "0", "port must be between 1 and 65535; it is 0")]
    [InlineData("name", "", "name is required")]
    [InlineData("password", "", "password is required")]
    public void ABadConnectionFieldIsNamed(string field, string value, string message)
    {
        var input = new SyncConnectionInput(
            field == "name" ? value : "Warehouse", SyncSourceKind.Postgres, field == "host" ? value : "db.example.com",
            field == "port" ? int.Parse(value) : 5432, "app", "reader", field == "password" ? value : "secret", SyncSslMode.Require);

        var error = SyncConnectionsService.Validate(input, requirePassword: true);

        error!.Field.ShouldBe(field);
        error.Message.ShouldStartWith(message);
    }
}
