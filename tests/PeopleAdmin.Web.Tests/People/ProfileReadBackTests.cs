using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.People;
using PeopleAdmin.Web.Tests.Apis;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.People;

/// <summary>After each class of odd but accepted input, and after what older versions stored, every profile tab opens.</summary>
public sealed class ProfileReadBackTests : ConsoleTestContext
{
    public static TheoryData<string> Classes => OddInputs.Classes();

    [Theory]
    [MemberData(nameof(Classes))]
    public async Task EveryProfileTabOpensAfterOddButAcceptedInput(string name)
    {
        SignIn("viewer@example.test");
        var input = OddInputs.Of(name);
        var cioId = await WriteAsync(input);

        var profile = Render<PersonProfilePage>(p => p.Add(x => x.CioId, cioId));

        OpenEveryTab(profile, cioId, [.. input.Attributes().Keys.Where(k => !ReservedKeys.IsReserved(k))], "tok-1");
        profile.Find("[data-testid='person-id']").TextContent.ShouldBe(input.Id);
    }

    [Fact]
    public async Task EveryProfileTabOpensOnWhatWasStoredBeforeTheRules()
    {
        SignIn("viewer@example.test");
        var cioId = await IdentifyAsync("old-1", ("plan", "pro"));
        await ReadBackTests.StoreAsBeforeTheRulesAsync(Services, "old-1");

        var profile = Render<PersonProfilePage>(p => p.Add(x => x.CioId, cioId));

        OpenEveryTab(profile, cioId, ["plan"], "old-device");
        Panel(profile).ShouldContain("99999999999999");
    }

    private async Task<string> WriteAsync(OddInput input)
    {
        var people = Services.GetRequiredService<PeopleService>();
        var context = new OperationContext(WorkspaceId, Sources.Api);
        var reference = PersonReference.ForId(input.Id);
        var ct = Xunit.TestContext.Current.CancellationToken;
        var identified = await people.ExecuteAsync(context, new IdentifyOperation(reference, input.Attributes()), ct);
        var tracked = await people.ExecuteAsync(context, new TrackEventOperation(reference, new EventInput("odd", EventInput.EventType, input.EventData(), input.EventTimestamp, null)), ct);
        var device = await people.ExecuteAsync(context, new UpsertDeviceOperation(reference, new DeviceInput("tok-1", "ios", input.DeviceLastUsed, null)), ct);
        new[] { identified, tracked, device }.ShouldAllBe(r => r.Status == OperationStatus.Applied);
        return identified.CioId!;
    }

    /// <summary>Opens the tabs in turn; each shows what it holds: the attributes by name, the activity, the segments, the relationships, the merges, the device.</summary>
    private static void OpenEveryTab(IRenderedComponent<PersonProfilePage> profile, string cioId, IReadOnlyList<string> attributes, string device)
    {
        profile.WaitForAssertion(() => profile.Find("[data-testid='person-cio-id']").TextContent.ShouldBe($"cio_{cioId}"));
        profile.FindAll(".mud-tab").Count.ShouldBe(6);

        profile.FindAll(".mud-tab")[0].Click();
        profile.WaitForAssertion(() => attributes.ShouldAllBe(a => Panel(profile).Contains(a)));
        profile.FindAll(".mud-tab")[1].Click();
        profile.WaitForAssertion(() => profile.Find("[data-testid='activity-timeline']").TextContent.ShouldContain("from api"));
        profile.FindAll(".mud-tab")[2].Click();
        profile.WaitForAssertion(() => Panel(profile).ShouldContain("Not in any manual segment."));
        profile.FindAll(".mud-tab")[3].Click();
        profile.WaitForAssertion(() => Panel(profile).ShouldContain("Not related to any object."));
        profile.FindAll(".mud-tab")[4].Click();
        profile.WaitForAssertion(() => Panel(profile).ShouldContain("No merges."));
        profile.FindAll(".mud-tab")[5].Click();
        profile.WaitForAssertion(() => Panel(profile).ShouldContain(device));
    }

    private static string Panel(IRenderedComponent<PersonProfilePage> profile) => profile.Find(".mud-tabs-panels").TextContent;
}
