/** kp1-http-binding: 1/KP over HTTP. */
module io.kp1.http {
    requires transitive io.kp1.core;

    // exports io.kp1.http; (added with the first public type)
}
