/**
 * 2/DCP data collection: endpoints push data samples (any JSON value) in batches to
 * {@code /<token>/json} of a {@code dcx} instance; a success reply is empty.
 *
 * <pre>{@code
 * // Client (device or gateway), over either binding:
 * DataCollection dc = DataCollection.on(endpoint);
 * dc.push(new Reading(23.5, 48)).join();                  // one sample: [{"temperature":23.5,"humidity":48}]
 * dc.pushAll(List.of(r1, r2, r3)).join();                 // one batch of three
 * dc.send(reading);                                       // fire and forget (K6)
 *
 * // Server (extension service):
 * Router router = DataCollection.routes((req, samples) -> db.store(req.endpointToken(), samples))
 *         .addTo(Router.builder()).build();
 * }</pre>
 *
 * <p>The RFC's request is a JSON array of samples. Kaa's documentation and clients also send a
 * single object, or a bare value, without the array: the server side accepts that as one sample
 * (KP1.md, "Extension protocols"), the client side always writes an array.
 */
package io.kp1.extension.dcp;
