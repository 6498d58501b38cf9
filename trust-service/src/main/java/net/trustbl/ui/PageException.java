package net.trustbl.ui;

/** A page-level failure: rendered as an HTML error page (or a redirect), never as JSON. */
public class PageException extends RuntimeException {

    private final int status;
    private final String title;
    private final String location;

    public PageException(int status, String title, String message) {
        super(message);
        this.status = status;
        this.title = title;
        this.location = null;
    }

    private PageException(String location) {
        super("redirect");
        this.status = 303;
        this.title = null;
        this.location = location;
    }

    public static PageException redirect(String location) {
        return new PageException(location);
    }

    public static PageException notFound(String message) {
        return new PageException(404, "Not found", message);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String location() {
        return location;
    }
}
