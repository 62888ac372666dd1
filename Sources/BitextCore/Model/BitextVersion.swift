/// The version written into outputs (`generator`, TMX `creationtoolversion`).
public enum BitextVersion {
    public static let current = "0.1.0"
}
