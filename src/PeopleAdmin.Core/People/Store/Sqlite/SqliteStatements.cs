namespace PeopleAdmin.Core.People.Store.Sqlite;

/// <summary>
/// Prepared statements on the writer's connection and transaction, prepared once per writer connection and reused
/// for every row, with the statements both of SQLite's fast paths run (<see cref="SqlitePeopleCommands"/> for the bulk
/// create, <see cref="SqliteHotPath"/> for everyday operations). EF Core still owns the model, the migrations and
/// the transaction; these statements name its tables and columns. A PostgreSQL store would bring its own.
/// </summary>
internal abstract class SqliteStatements(SqliteStatementCache statements)
{
    private SqliteStatement? _suppressed;
    private SqliteStatement? _insertActivity;
    private SqliteStatement? _insertPerson;
    private SqliteStatement? _insertAttribute;

    /// <summary>
    /// The person of workspace ?1 whose email is an identifier and equals ?2: a seek of the one email index. The flag is
    /// part of the condition, so that an <c>id_only</c> email (or one the mode switch has not reached) finds nobody.
    /// </summary>
    public const string ByIdentifyingEmail = "WorkspaceId = ?1 AND EmailNormalized = ?2 AND EmailIsIdentifier = 1";

    /// <summary>The columns of every attribute statement, in the order <see cref="BindAttribute"/> binds them (?1 to ?8).</summary>
    public const string AttributeColumns = "PersonId, WorkspaceId, Name, Type, TextValue, NumberValue, SetMs, Timestamp";

    public bool IsSuppressed(int workspaceId, IdentifierKind kind, string valueKey) =>
        (_suppressed ??= Statement("SELECT 1 FROM Suppressions WHERE WorkspaceId = ?1 AND Kind = ?2 AND ValueKey = ?3 LIMIT 1"))
            .Bind(1, workspaceId).Bind(2, (long)kind).Bind(3, valueKey).Exists();

    /// <summary>Inserts the person and sets their new key.</summary>
    public void InsertPerson(Person person)
    {
        var statement = _insertPerson ??= Statement(
            $"INSERT INTO People ({PersonRow.InsertList}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
        person.Id = statement
            .Bind(1, person.WorkspaceId).Bind(2, person.CioId).Bind(3, person.ExternalId).Bind(4, person.Email)
            .Bind(5, person.EmailNormalized).Bind(6, person.EmailIsIdentifier).Bind(7, person.FirstSeenMs).Bind(8, person.CreatedAt)
            .Bind(9, person.UpdatedMs).Bind(10, person.ExternalIdChangedMs).Bind(11, person.EmailChangedMs)
            .Bind(12, person.Unsubscribed).Bind(13, person.LastImportId).Bind(14, person.CreatedAtChangedMs).Bind(15, person.UnsubscribedChangedMs)
            .Insert();
    }

    public void InsertAttribute(PersonAttribute attribute) =>
        BindAttribute(_insertAttribute ??= Statement($"INSERT INTO PersonAttributes ({AttributeColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"), attribute)
            .Execute();

    /// <summary>Inserts an activity entry and sets its key.</summary>
    public void InsertActivity(Activity activity)
    {
        var statement = _insertActivity ??= Statement(
            """
            INSERT INTO Activities (WorkspaceId, PersonId, CioId, Type, Source, AtMs, Timestamp, Name, Data, AnonymousId, DedupId, Actor)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            """);
        activity.Id = statement
            .Bind(1, activity.WorkspaceId).Bind(2, activity.PersonId).Bind(3, activity.CioId).Bind(4, activity.Type)
            .Bind(5, activity.Source).Bind(6, activity.AtMs).Bind(7, activity.Timestamp).Bind(8, activity.Name)
            .Bind(9, activity.Data).Bind(10, activity.AnonymousId).Bind(11, activity.DedupId).Bind(12, activity.Actor)
            .Insert();
    }

    protected static SqliteStatement BindAttribute(SqliteStatement statement, PersonAttribute attribute) => statement
        .Bind(1, attribute.PersonId).Bind(2, attribute.WorkspaceId).Bind(3, attribute.Name).Bind(4, (long)attribute.Type)
        .Bind(5, attribute.TextValue).Bind(6, attribute.NumberValue).Bind(7, attribute.SetMs).Bind(8, attribute.Timestamp);

    /// <summary>The connection's prepared statement for this SQL (prepared on its first use).</summary>
    protected SqliteStatement Statement(string sql) => statements.Get(sql);
}
