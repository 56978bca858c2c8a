using System.Linq.Expressions;
using System.Reflection;

namespace MLSystemDesign.Data.Internal;

/// <summary>
/// Builds records of type <typeparamref name="T"/> from the current row of a <see cref="RecordCursor"/>, through a
/// delegate compiled once per source layout: no reflection and no boxing per row.
/// </summary>
internal static class RecordBinder<T>
{
    /// <summary>Compiles a binder for a cursor's columns, or throws a <see cref="DataSchemaException"/> naming the missing columns.</summary>
    public static Func<RecordCursor, T> Compile(RecordMap<T> map, IReadOnlyList<string> columns, string source)
    {
        if (typeof(T) == typeof(TabularRecord))
        {
            return (Func<RecordCursor, T>)(object)TabularBinder(columns);
        }

        var ordinals = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columns.Count; i++)
        {
            ordinals.TryAdd(columns[i], i);
        }

        var missing = map.Members.Where(m => !m.Optional && !ordinals.ContainsKey(m.Column)).Select(m => m.Column).ToList();
        if (missing.Count > 0)
        {
            throw new DataSchemaException(
                source,
                $"required column{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing.Select(c => $"'{c}'"))} not found; the source has {string.Join(", ", columns.Select(c => $"'{c}'"))}.",
                missing);
        }

        var cursor = Expression.Parameter(typeof(RecordCursor), "cursor");
        var values = new Dictionary<MappedMember, Expression>();
        foreach (var member in map.Members)
        {
            if (ordinals.TryGetValue(member.Column, out var ordinal))
            {
                values[member] = ReadExpression(cursor, member, ordinal);
            }
        }

        var body = Construct(values, source);
        return Expression.Lambda<Func<RecordCursor, T>>(body, cursor).Compile();
    }

    private static Func<RecordCursor, TabularRecord> TabularBinder(IReadOnlyList<string> columns)
    {
        RecordSchema? schema = null;
        return cursor =>
        {
            schema ??= new RecordSchema(columns.Select((c, i) => new RecordField(c, cursor.GetColumnKind(i), IsNullable: true)));
            var values = new FieldValue[columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                cursor.CurrentOrdinal = i;
                values[i] = cursor.GetFieldValue(i);
            }

            return new TabularRecord(schema, values) { RecordNumber = cursor.RecordNumber, LineNumber = cursor.LineNumber };
        };
    }

    private static Expression ReadExpression(ParameterExpression cursor, MappedMember member, int ordinal)
    {
        var o = Expression.Constant(ordinal);
        var setOrdinal = Expression.Assign(Expression.Property(cursor, nameof(RecordCursor.CurrentOrdinal)), o);
        var u = member.UnderlyingType;
        Expression read = u switch
        {
            _ when u == typeof(double) => Call(cursor, nameof(RecordCursor.GetDouble), o),
            _ when u == typeof(float) => Call(cursor, nameof(RecordCursor.GetSingle), o),
            _ when u == typeof(decimal) => Call(cursor, nameof(RecordCursor.GetDecimal), o),
            _ when u == typeof(long) => Call(cursor, nameof(RecordCursor.GetInt64), o),
            _ when u == typeof(int) => Call(cursor, nameof(RecordCursor.GetInt32), o),
            _ when u == typeof(short) => Call(cursor, nameof(RecordCursor.GetInt16), o),
            _ when u == typeof(byte) => Call(cursor, nameof(RecordCursor.GetByte), o),
            _ when u == typeof(bool) => Call(cursor, nameof(RecordCursor.GetBoolean), o),
            _ when u == typeof(string) => Call(cursor, nameof(RecordCursor.GetString), o),
            _ when u == typeof(DateTime) => Call(cursor, nameof(RecordCursor.GetDateTime), o),
            _ when u == typeof(DateTimeOffset) => Call(cursor, nameof(RecordCursor.GetDateTimeOffset), o),
            _ when u == typeof(DateOnly) => Call(cursor, nameof(RecordCursor.GetDateOnly), o),
            _ when u.IsEnum => Expression.Call(cursor, typeof(RecordCursor).GetMethod(nameof(RecordCursor.GetEnum))!.MakeGenericMethod(u), o),
            _ => throw new InvalidOperationException($"Unsupported member type {u}."),
        };

        if (read.Type != member.Type)
        {
            read = Expression.Convert(read, member.Type);
        }

        Expression whenMissing = member switch
        {
            { IsNullable: true } => Expression.Default(member.Type),
            _ when member.Type == typeof(double) => Expression.Constant(double.NaN),
            _ when member.Type == typeof(float) => Expression.Constant(float.NaN),
            _ => Expression.Throw(
                Expression.Call(typeof(RecordCursor).GetMethod(nameof(RecordCursor.MissingRequired))!, Expression.Constant(member.Property.Name)),
                member.Type),
        };

        var isMissing = Call(cursor, nameof(RecordCursor.IsMissing), o);
        return Expression.Block(setOrdinal, Expression.Condition(isMissing, whenMissing, read));
    }

    private static MethodCallExpression Call(ParameterExpression cursor, string method, Expression ordinal) =>
        Expression.Call(cursor, typeof(RecordCursor).GetMethod(method, [typeof(int)])!, ordinal);

    private static Expression Construct(Dictionary<MappedMember, Expression> values, string source)
    {
        var type = typeof(T);
        var parameterless = type.GetConstructor(Type.EmptyTypes);
        if (parameterless is not null || type.IsValueType)
        {
            var bindings = values.Select(kv => (MemberBinding)Expression.Bind(Setter(kv.Key, source), kv.Value));
            return Expression.MemberInit(parameterless is null ? Expression.New(type) : Expression.New(parameterless), bindings);
        }

        // Positional records and immutable classes: the public constructor whose parameters all name mapped properties.
        var byName = values.Keys.ToDictionary(m => m.Property.Name, StringComparer.OrdinalIgnoreCase);
        var ctor = type.GetConstructors()
            .Where(c => c.GetParameters().All(p => p.Name is not null && byName.ContainsKey(p.Name)))
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault()
            ?? throw new DataSchemaException(
                source,
                $"{type.Name} has no parameterless constructor and no public constructor whose parameters all match mapped properties ({string.Join(", ", byName.Keys)}).");

        var parameters = ctor.GetParameters();
        var args = parameters.Select(p =>
        {
            var value = values[byName[p.Name!]];
            return value.Type == p.ParameterType ? value : Expression.Convert(value, p.ParameterType);
        }).ToArray();
        var rest = values
            .Where(kv => !parameters.Any(p => string.Equals(p.Name, kv.Key.Property.Name, StringComparison.OrdinalIgnoreCase)))
            .Select(kv => (MemberBinding)Expression.Bind(Setter(kv.Key, source), kv.Value))
            .ToList();
        var created = Expression.New(ctor, args);
        return rest.Count == 0 ? created : Expression.MemberInit(created, rest);
    }

    private static PropertyInfo Setter(MappedMember member, string source) =>
        member.Property.SetMethod is not null
            ? member.Property
            : throw new DataSchemaException(source, $"property '{member.Property.Name}' of {typeof(T).Name} has no setter and no constructor parameter; it cannot be read.");
}
