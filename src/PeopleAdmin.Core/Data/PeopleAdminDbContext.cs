using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Exports;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Data;

/// <summary>The one model of PeopleAdmin: operators (ASP.NET Core Identity), workspaces and the people store.</summary>
public sealed class PeopleAdminDbContext(DbContextOptions<PeopleAdminDbContext> options)
    : IdentityDbContext<Operator>(options)
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();

    public DbSet<SettingsChange> SettingsChanges => Set<SettingsChange>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<PersonalToken> PersonalTokens => Set<PersonalToken>();

    public DbSet<Person> People => Set<Person>();

    public DbSet<PersonAttribute> PersonAttributes => Set<PersonAttribute>();

    public DbSet<Suppression> Suppressions => Set<Suppression>();

    public DbSet<Activity> Activities => Set<Activity>();

    public DbSet<Device> Devices => Set<Device>();

    public DbSet<Segment> Segments => Set<Segment>();

    public DbSet<SegmentMembership> SegmentMemberships => Set<SegmentMembership>();

    public DbSet<MergeRecord> MergeRecords => Set<MergeRecord>();

    public DbSet<Forms.Form> Forms => Set<Forms.Form>();

    public DbSet<Forms.FormField> FormFields => Set<Forms.FormField>();

    public DbSet<Export> Exports => Set<Export>();

    public DbSet<Actions.ActionRule> ActionRules => Set<Actions.ActionRule>();

    public DbSet<Actions.ActionRuleRun> ActionRuleRuns => Set<Actions.ActionRuleRun>();

    public DbSet<LeadAds.LeadAdConnection> LeadAdConnections => Set<LeadAds.LeadAdConnection>();

    public DbSet<LeadAds.LeadAdPage> LeadAdPages => Set<LeadAds.LeadAdPage>();

    public DbSet<LeadAds.ReceivedLead> ReceivedLeads => Set<LeadAds.ReceivedLead>();

    public DbSet<Imports.Import> Imports => Set<Imports.Import>();

    public DbSet<Imports.ImportProblem> ImportProblems => Set<Imports.ImportProblem>();

    public DbSet<Imports.ImportPerson> ImportPeople => Set<Imports.ImportPerson>();

    public DbSet<Core.Syncs.SyncConnection> SyncConnections => Set<Core.Syncs.SyncConnection>();

    public DbSet<Core.Syncs.Sync> Syncs => Set<Core.Syncs.Sync>();

    public DbSet<Core.Syncs.SyncRun> SyncRuns => Set<Core.Syncs.SyncRun>();

    public DbSet<Instances.Lease> Leases => Set<Instances.Lease>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsNpgsql())
        {
            PostgresConventions.Apply(configurationBuilder);
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PeopleAdminDbContext).Assembly);
        if (Database.IsNpgsql())
        {
            PostgresConventions.CompareTextByteByByte(builder);
        }

        DistributionKeys.Apply(builder, Database.IsNpgsql());
        KeyOrderedTables.Apply(builder, Database.IsNpgsql());
    }
}
