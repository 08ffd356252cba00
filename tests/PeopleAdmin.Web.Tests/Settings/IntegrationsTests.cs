using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Actions;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.LeadAds;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Settings;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Settings;

/// <summary>The Integrations page: what forms, rules and lead ads have connected to a workspace.</summary>
public sealed class IntegrationsTests : ConsoleTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IntegrationsConsole Console => new(
        Services.GetRequiredService<FormsService>(), Services.GetRequiredService<RulesService>(), Services.GetRequiredService<LeadAdsService>());

    [Fact]
    public async Task WithNothingSetUpEachIntegrationSaysItIsNotConnectedAndWhereToStart()
    {
        // Act
        var integrations = await Console.ListAsync(WorkspaceId, Ct);
        var list = Render<IntegrationList>(p => p.Add(c => c.Integrations, integrations));

        // Assert
        integrations.Select(i => (i.Name, i.Connected)).ShouldBe([("Forms", false), ("Rules", false), ("Lead ads", false)]);
        list.FindAll("[data-testid=integration]").Select(e => e.TextContent).ShouldAllBe(text => text.Contains("not connected"));
        list.FindAll("[data-testid=integration-summary]").Select(e => e.TextContent.Trim()).ShouldBe(
            [
                "No forms yet: create one on the Forms page, or send a submission to the Forms API.",
                "No rules yet: create one on the Rules page.",
                "Not connected: connect your Facebook app and Pages on the Lead ads page.",
            ]);
    }

    [Fact]
    public async Task AFormARuleAndALeadAdsConnectionShowAsConnectedWithWhatTheyHold()
    {
        // Arrange
        await Services.GetRequiredService<FormsService>().CreateAsync(new OperationContext(WorkspaceId, Sources.Ui), "Newsletter", null, Ct);
        await Services.GetRequiredService<RulesService>().CreateAsync(WorkspaceId,
            new RuleDefinition("hook", null, null, "email", "{{ webhook.email }}", new Dictionary<string, string> { ["plan"] = "pro" }), Ct);
        var leadAds = Services.GetRequiredService<LeadAdsService>();
        (await leadAds.SaveAsync(WorkspaceId, new LeadAdConnectionInput("app-secret", "verify", LeadAdsService.DefaultGraphVersion, [new LeadAdPageInput("123", "page-token")], null, null), Ct)).ShouldBeNull();
        await leadAds.ReceiveAsync(WorkspaceId, [new LeadNotification("900000000000001", "123", "444", "555")], Ct);

        // Act
        var integrations = await Console.ListAsync(WorkspaceId, Ct);

        // Assert
        integrations.Take(2).Select(i => (i.Name, i.Connected, i.Summary)).ShouldBe(
        [
            ("Forms", true, "1 form (1 accepting submissions) · 0 submissions"),
            ("Rules", true, "1 rule (1 running, 1 webhook) · no runs yet"),
        ]);
        integrations[2].Name.ShouldBe("Lead ads");
        integrations[2].Connected.ShouldBeTrue();
        integrations[2].Summary.ShouldStartWith("1 Page · 1 lead, the last received ");
    }
}
