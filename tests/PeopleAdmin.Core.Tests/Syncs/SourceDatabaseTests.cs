using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Syncs;
using PeopleAdmin.Tests.Servers;

namespace PeopleAdmin.Core.Tests.Syncs;

/// <summary>Test connection's stages and the read-only session, against the real PostgreSQL and MariaDB servers.</summary>
public sealed class SourceDatabaseTests(SyncSources sources)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<SyncSourceKind> Kinds => [SyncSourceKind.Postgres, SyncSourceKind.MySql];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task AWorkingConnectionPassesTheTest(SyncSourceKind kind)
    {
        var failure = await SourceDatabase.For(sources.For(kind)).TestAsync(Ct);

        failure.ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task AWrongPasswordFailsAtAuthentication(SyncSourceKind kind)
    {
        var settings = sources.For(kind) with { Password = "not the password" };

        var failure = await SourceDatabase.For(settings).TestAsync(Ct);

        failure!.Stage.ShouldBe(SourceStages.Authentication);
        failure.Message.ShouldContain("refused user peopleadmin");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task APortWhereNothingListensFailsAsRefused(SyncSourceKind kind)
    {
        var settings = sources.For(kind) with { Port = FreePort() };

        var failure = await SourceDatabase.For(settings).TestAsync(Ct);

        failure!.Stage.ShouldBe(SourceStages.Connect);
        failure.Message.ShouldBe($"127.0.0.1:{settings.Port} refused the connection: no database listens on that port, or a firewall rejects it.");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task AHostNameThatDoesNotResolveFailsAtDns(SyncSourceKind kind)
    {
        var settings = sources.For(kind) with { Host = "no-such-host.invalid" };

        var failure = await SourceDatabase.For(settings).TestAsync(Ct);

        failure!.Stage.ShouldBe(SourceStages.Dns);
        failure.Message.ShouldStartWith("The host name no-such-host.invalid does not resolve to an address");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ADatabaseTheUserMayNotOpenFailsAtPermission(SyncSourceKind kind)
    {
        var settings = sources.For(kind) with { Database = "locked" };

        var failure = await SourceDatabase.For(settings).TestAsync(Ct);

        failure!.Stage.ShouldBe(SourceStages.Permission);
        failure.Message.ShouldStartWith("User peopleadmin lacks a permission");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task RequiringTlsOfAServerWithoutItFailsAtTls(SyncSourceKind kind)
    {
        var settings = sources.For(kind) with { SslMode = SyncSslMode.Require };

        var failure = await SourceDatabase.For(settings).TestAsync(Ct);

        failure!.Stage.ShouldBe(SourceStages.Tls, failure.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task AMissingDatabaseIsNamed(SyncSourceKind kind)
    {
        var settings = sources.For(kind) with { Database = "nowhere" };

        var failure = await SourceDatabase.For(settings).TestAsync(Ct);

        failure!.Stage.ShouldBe(kind == SyncSourceKind.Postgres ? SourceStages.Database : SourceStages.Permission);
        failure.Message.ShouldContain("nowhere");
    }

    [Fact]
    public async Task AQueryThatWritesFailsInTheReadOnlyTransaction()
    {
        var table = "t_" + Guid.NewGuid().ToString("n")[..10];
        await sources.ExecuteAsync(SyncSourceKind.Postgres, $"create table {table} (id text)");
        await using var session = await SourceDatabase.For(sources.Postgres()).OpenAsync(Ct);

        var failure = await Should.ThrowAsync<SyncSourceException>(async () =>
        {
            using var rows = await session.OpenRowsAsync(SyncQuery.Parse($"with added as (insert into {table} values ('x') returning id) select id from added", out _), DateTimeOffset.UnixEpoch, IdentifierKind.Id, Ct);
            rows.ReadRows().Count().ShouldBe(0);
        });

        failure.Message.ShouldContain("read-only transaction");
        await sources.ExecuteAsync(SyncSourceKind.Postgres, $"drop table {table}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task TheSessionRunsInUtc(SyncSourceKind kind)
    {
        await using var session = await SourceDatabase.For(sources.For(kind)).OpenAsync(Ct);

        var preview = await session.PreviewAsync(
            SyncQuery.Parse(kind == SyncSourceKind.Postgres ? "select current_setting('TimeZone') as zone" : "select @@session.time_zone as zone", out _),
            DateTimeOffset.UnixEpoch, 1, Ct);

        preview.Rows.Single().Single().ShouldBe(kind == SyncSourceKind.Postgres ? "UTC" : "+00:00");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task TwoStatementsAreRefusedWhenDescribed(SyncSourceKind kind)
    {
        await using var session = await SourceDatabase.For(sources.For(kind)).OpenAsync(Ct);

        var failure = await Should.ThrowAsync<SyncSourceException>(() => session.DescribeAsync(SyncQuery.Parse("select 1 as id; select 2 as id", out _), DateTimeOffset.UnixEpoch, Ct));

        failure.Stage.ShouldBe(SourceStages.Query);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
