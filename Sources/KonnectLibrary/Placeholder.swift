public enum KonnectLibraryPlaceholder {}
