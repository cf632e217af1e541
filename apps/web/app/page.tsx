const PLANNED = [
  { title: 'Explore events', text: 'Concerts, meetups, food festivals and more, near you.' },
  { title: 'Buy tickets', text: 'Pay once, get a signed QR code for the door.' },
  { title: 'Organize', text: 'Create events, sell tickets, check people in, watch live numbers.' },
];

export default function HomePage() {
  return (
    <>
      <section className="hero">
        <h1>Spot</h1>
        <p>
          Spot is an event platform: find something to do, get your ticket, show it at the door.
        </p>
      </section>
      <section aria-labelledby="coming-up">
        <h2 id="coming-up">Coming up</h2>
        <ul className="tiles">
          {PLANNED.map((item) => (
            <li key={item.title} className="tile">
              <h3>{item.title}</h3>
              <p>{item.text}</p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
