namespace PeopleAdmin.Web.Features.Team;

/// <summary>What the add-operator dialog answers: a null password means "generate one".</summary>
public sealed record NewOperator(string Email, string Role, string? Password);
